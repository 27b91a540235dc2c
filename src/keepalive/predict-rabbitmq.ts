import { type DelayWindow, inboundTimeline, type KickQuery, type KickWindow } from "./predict-types.js";

/**
 * RabbitMQ's MQTT plugin (3.10), measured on the real RabbitMQ 3.10.8 here and read from its source
 * (docs/brokers.md). rabbit_mqtt_reader starts `rabbit_heartbeat:start(…, 0, …, Keepalive, …)` once the CONNECT is
 * accepted: a receiver that wakes every KA (the client's keepalive, whole seconds) and reads the socket's received
 * byte counter (`recv_oct`, any bytes count, not only whole packets). A wake that finds the counter moved resets;
 * the second wake in a row that finds it unchanged closes the connection (`Threshold` 1). Its first reading is
 * compared with 0, so the CONNECT's own bytes count as news at the first wake.
 *
 * So wakes fall at CONNECT + j·KA (j ≥ 1), and the kick is the wake two after the first wake that follows the last
 * inbound byte: exactly 3·KA after CONNECT for a client silent from the start (measured 3.005 – 3.017·KA at KA 1, 2,
 * 3 and 5 s), and 2·KA < delay ≤ 3·KA after a later packet. A packet at the very instant of a wake counts for the
 * next one (as predict-types.ts orders ties). Keepalive 0: no receiver, never kicked.
 */
export function rabbitmqPeriodMs(keepaliveMs: number): number | null {
  const ka = Math.floor(keepaliveMs / 1000);
  return ka > 0 ? ka * 1000 : null;
}

export function rabbitmqKickAt(query: KickQuery): number | null {
  const period = rabbitmqPeriodMs(query.keepaliveMs);
  if (period === null) return null;
  const timeline = inboundTimeline(query);
  const connectAt = timeline[0] ?? 0;
  for (let i = 0; i < timeline.length; i++) {
    const t = timeline[i] ?? 0;
    // The first wake strictly after t (a packet at a wake is read by the next one), then two quiet wakes.
    const seenBy = Math.floor((t - connectAt) / period) + 1;
    const kickAt = connectAt + (seenBy + 2) * period;
    const next = timeline[i + 1];
    if (next === undefined || kickAt <= next) return kickAt;
  }
  return null;
}

export function rabbitmqKickWindow(query: KickQuery): KickWindow | null {
  const at = rabbitmqKickAt(query);
  return at === null ? null : { earliestMs: at, latestMs: at, exact: true };
}

/** 2·KA < delay ≤ 3·KA after the last inbound bytes, wake phase unknown. */
export function rabbitmqDelayAfterLastPacket(keepaliveMs: number): DelayWindow | null {
  const period = rabbitmqPeriodMs(keepaliveMs);
  return period === null ? null : { minMs: 2 * period, maxMs: 3 * period, exact: false };
}

/** Exactly 3·KA after CONNECT for a client silent from the start. */
export function rabbitmqDelayAfterConnect(keepaliveMs: number): DelayWindow | null {
  const period = rabbitmqPeriodMs(keepaliveMs);
  return period === null ? null : { minMs: 3 * period, maxMs: 3 * period, exact: true };
}
