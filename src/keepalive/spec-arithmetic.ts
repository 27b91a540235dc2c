/**
 * The spec's keepalive rule, in ONE place for the runtime model (spec.ts) and the predictions.
 * [MQTT-3.1.2-24] (3.1.1) / [MQTT-3.1.2-22] (5.0): keepalive ≠ 0 and nothing received within 1.5 × keepalive →
 * the server MUST disconnect. Every inbound packet resets the deadline.
 */
export function specLimitMs(keepaliveMs: number): number {
  return 1.5 * keepaliveMs;
}

/** Keepalive 0 switches the mechanism off [MQTT-3.1.2-24]. */
export function specEnforces(keepaliveMs: number): boolean {
  return keepaliveMs > 0;
}
