/**
 * mosquitto 2.0's keepalive arithmetic (docs/broker-facts.md, "mosquitto 2.0"), in ONE place for the runtime model
 * (mosquitto.ts) and the predictions (predict-mosquitto.ts).
 *
 * A broker-wide sweep runs at start-up and then every 6 whole seconds of CLOCK_MONOTONIC (`last_check + 5 < now_s`)
 * and kicks a client when `now_s - last_inbound_s > keepalive_s*3/2` (C integer arithmetic). Keepalive 0 is never
 * checked. Measured on 2.0.11 (kick instants predicted to the second for keepalive 1..5, 15 clients;
 * test/integration/mosquitto-real.test.ts): odd keepalives are kicked early — keepalive 3 went 4.27 s after its
 * last packet (< 4.5 s), keepalive 1 can go after just over 1 s; the window after the last inbound packet is
 * (⌊1.5k⌋, ⌊1.5k⌋ + 6] s. Sweeps fall on whole seconds of the clock here; the real broker's lag of up to ~0.1 s
 * after its second (MOSQUITTO_KEEPALIVE.maxSweepLagMs in src/broker/profiles/mosquitto-measured.ts) is not modelled.
 */

/** The sweep period, clock ms. */
export const MOSQUITTO_SWEEP_INTERVAL_MS = 6000;

/** Whole seconds of a clock time (mosquitto's 1-s resolution). */
export function mosquittoSeconds(atMs: number): number {
  return Math.floor(atMs / 1000);
}

/** keepalive_s*3/2 in C integer arithmetic: the allowed silence in whole seconds (keepalive 5 → 7). */
export function mosquittoLimitSeconds(keepaliveMs: number): number {
  return Math.floor((3 * Math.floor(keepaliveMs / 1000)) / 2);
}

/** `context->keepalive && …`: keepalive 0 (or under a second) is never kicked. */
export function mosquittoEnforces(keepaliveMs: number): boolean {
  return Math.floor(keepaliveMs / 1000) > 0;
}

/**
 * The first clock ms at which a sweep would kick a client silent since lastInboundAt: the start of second
 * last_inbound_s + limit + 1. `now_s - last_s > limit` ⟺ now ≥ this.
 */
export function mosquittoEarliestKickAt(lastInboundAt: number, keepaliveMs: number): number {
  return (mosquittoSeconds(lastInboundAt) + mosquittoLimitSeconds(keepaliveMs) + 1) * 1000;
}

/** The decision a sweep takes for one client. */
export function mosquittoShouldKick(nowMs: number, lastInboundAt: number, keepaliveMs: number): boolean {
  return mosquittoEnforces(keepaliveMs) && nowMs >= mosquittoEarliestKickAt(lastInboundAt, keepaliveMs);
}

/** The sweep phase of a sweep started at `startedAt`: the next whole second (mosquitto checks on whole seconds). */
export function mosquittoSweepPhase(startedAt: number): number {
  return Math.ceil(startedAt / 1000) * 1000;
}

/** Clock ms of sweep j (j ≥ 0) of the sweep whose first run is at phaseMs. */
export function mosquittoSweepAt(phaseMs: number, j: number): number {
  return phaseMs + j * MOSQUITTO_SWEEP_INTERVAL_MS;
}

/** Index (≥ 0) of the first sweep at or after `at`. */
export function mosquittoFirstSweepFrom(phaseMs: number, at: number): number {
  let j = Math.max(0, Math.ceil((at - phaseMs) / MOSQUITTO_SWEEP_INTERVAL_MS));
  while (mosquittoSweepAt(phaseMs, j) < at) j += 1;
  while (j > 0 && mosquittoSweepAt(phaseMs, j - 1) >= at) j -= 1;
  return j;
}
