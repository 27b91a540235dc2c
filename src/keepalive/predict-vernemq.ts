import { type DelayWindow, inboundTimeline, type KickQuery, type KickWindow } from "./predict-types.js";

/**
 * VerneMQ, from the broker's source, not run (vernemq/vernemq apps/vmq_server/src/vmq_mqtt_fsm.erl and
 * vmq_mqtt5_fsm.erl, `connected(check_keepalive, …)` and `set_keepalive_check_timer/1`): a check every
 * KA·750 ms from CONNECT (`send_after(KeepAlive * 750, check_keepalive)`, re-armed by each check) kicks when
 * `(Now - Last) > 1500000 * KeepAlive` µs, Last being the time of the last inbound frame (`set_last_time_active`;
 * the CONNECT sets it too). So the kick comes 1.5× – 2.25× KA after the last packet; keepalive 0 is never checked.
 */
export function vernemqCheckPeriodMs(keepaliveMs: number): number | null {
  const ka = Math.floor(keepaliveMs / 1000);
  return ka > 0 ? ka * 750 : null;
}

/** Exact: the first check strictly more than 1.5·KA after the last packet before the first such gap. */
export function vernemqKickAt(query: KickQuery): number | null {
  const period = vernemqCheckPeriodMs(query.keepaliveMs);
  if (period === null) return null;
  const limit = 2 * period; // 1.5 × KA
  const timeline = inboundTimeline(query);
  const connectAt = timeline[0] ?? 0;
  for (let i = 0; i < timeline.length; i++) {
    const last = timeline[i] ?? connectAt;
    const kickAt = connectAt + (Math.floor((last + limit - connectAt) / period) + 1) * period;
    const next = timeline[i + 1];
    if (next === undefined || kickAt <= next) return kickAt;
  }
  return null;
}

export function vernemqKickWindow(query: KickQuery): KickWindow | null {
  const at = vernemqKickAt(query);
  return at === null ? null : { earliestMs: at, latestMs: at, exact: true };
}

/** (1.5·KA, 2.25·KA] after the last packet. */
export function vernemqDelayAfterLastPacket(keepaliveMs: number): DelayWindow | null {
  const period = vernemqCheckPeriodMs(keepaliveMs);
  return period === null ? null : { minMs: 2 * period, maxMs: 3 * period, exact: false };
}

/** Exactly 2.25·KA after CONNECT for a client silent from the start (the third check). */
export function vernemqDelayAfterConnect(keepaliveMs: number): DelayWindow | null {
  const period = vernemqCheckPeriodMs(keepaliveMs);
  return period === null ? null : { minMs: 3 * period, maxMs: 3 * period, exact: true };
}
