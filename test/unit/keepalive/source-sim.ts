import type { EmqxKickQuery, EmqxParams } from "../../../src/keepalive/predict-emqx.js";
import type { KickQuery } from "../../../src/keepalive/predict-types.js";

/**
 * Tick-by-tick runs of the brokers' keepalive state machines as their source writes them (statval / idle time /
 * last-active), independent of the closed forms in src/keepalive. A timer due at t fires before a packet read at t.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HORIZON = 10_000_000;

/** emqx_keepalive.erl check/2 + emqx_channel.erl (PINGREQ: check, then reset_timer). */
export function simulateEmqx(p: EmqxParams, q: EmqxKickQuery): number | null {
  const ka = q.keepaliveMs;
  const interval = Math.min(Math.max(p.checkIntervalMs, 1000), Math.max(Math.floor(ka / 2), 1000));
  const max = Math.ceil(ka * p.multiplier);
  const pings = new Set(q.pingreqAt ?? []);
  const packets = [...new Set([...(q.inboundAt ?? []), ...pings])].sort((a, b) => a - b);
  let counter = 0;
  let statval = 0;
  let idle = 0;
  let nextTick = interval;
  let i = 0;
  while (nextTick < HORIZON) {
    const packet = packets[i];
    if (packet !== undefined && packet < nextTick) {
      i++;
      counter++;
      if (pings.has(packet)) {
        statval = counter;
        idle = 0;
        nextTick = packet + interval;
      }
      continue;
    }
    if (counter === statval) {
      if (idle + interval >= max) return nextTick;
      idle += interval;
    } else {
      statval = counter;
      idle = 0;
    }
    nextTick += interval;
  }
  return null;
}

/** 5.0.26–5.7.1 (fires = 1, P = round(KA·M)) and 5.0.0–5.0.25 (fires = 2, P = round(KA·backoff)). */
export function simulateEmqxLegacy(q: KickQuery, factor: number, fires: number): number | null {
  const period = Math.round(q.keepaliveMs * factor);
  const packets = [...(q.inboundAt ?? [])].sort((a, b) => a - b);
  let counter = 0;
  let statval = 0;
  let repeat = 0;
  let i = 0;
  for (let tick = period; tick < HORIZON; tick += period) {
    while (i < packets.length && (packets[i] as number) < tick) {
      i++;
      counter++;
    }
    if (counter !== statval) {
      statval = counter;
      repeat = 0;
    } else if (repeat < fires - 1) repeat++;
    else return tick;
  }
  return null;
}

/** vmq_mqtt_fsm.erl connected(check_keepalive, …): every KA·750 ms, kick when now − last > 1.5·KA. */
export function simulateVernemq(q: KickQuery): number | null {
  const period = Math.floor(q.keepaliveMs / 1000) * 750;
  const packets = [...(q.inboundAt ?? [])].sort((a, b) => a - b);
  let last = 0;
  let i = 0;
  for (let tick = period; tick < HORIZON; tick += period) {
    while (i < packets.length && (packets[i] as number) < tick) last = packets[i++] as number;
    if (tick - last > 1.5 * Math.floor(q.keepaliveMs / 1000) * 1000) return tick;
  }
  return null;
}

/**
 * rabbit_common rabbit_heartbeat.erl `heartbeater/3` as RabbitMQ's MQTT reader starts it (receiver, Threshold 1):
 * state {StatVal0, SameCount} from {0, 0}, a wake every KA from CONNECT reading recv_oct (the CONNECT's bytes are in
 * it); moved → {new, 0}; unchanged and SameCount < 1 → {same, SameCount + 1}; else the handler (the kick).
 */
export function simulateRabbitmq(q: KickQuery): number | null {
  const period = Math.floor(q.keepaliveMs / 1000) * 1000;
  if (period <= 0) return null;
  const connectAt = q.connectAt ?? 0;
  const packets = [...(q.inboundAt ?? [])].filter((t) => t >= connectAt).sort((a, b) => a - b);
  let recvOct = 1;
  let statVal0 = 0;
  let sameCount = 0;
  let i = 0;
  for (let wake = connectAt + period; wake < HORIZON; wake += period) {
    while (i < packets.length && (packets[i] ?? 0) < wake) {
      i++;
      recvOct++;
    }
    if (recvOct !== statVal0) {
      statVal0 = recvOct;
      sameCount = 0;
    } else if (sameCount < 1) sameCount++;
    else return wake;
  }
  return null;
}
