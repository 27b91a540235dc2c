/**
 * MQTT.js 5.16's own keepalive rule, read from its build (node_modules/mqtt/build/lib/KeepaliveManager.js,
 * handlers/index.js, client.js), so scenarios can predict when the client gives up:
 *
 * - `reschedule()` resets a counter and starts an interval of ⌈KA_ms / 2⌉ (`_intervalEvery`);
 * - each interval tick adds 1; at 2 it sends PINGREQ, above 2 it calls `onKeepaliveTimeout()`, which destroys the
 *   stream and emits the error "Keepalive timeout";
 * - it is rescheduled by the CONNACK (the manager is created then), by every PINGRESP (`reschedulePing(true)`),
 *   and, with the default `reschedulePings: true`, by every incoming PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK,
 *   PUBREL and AUTH. Outgoing packets and incoming PUBLISHes do not reschedule it.
 *
 * So a client that hears nothing pings 2 · ⌈KA/2⌉ after its last reschedule and gives up 3 · ⌈KA/2⌉ after it:
 * 1.5 × KA for whole seconds, counted from the last PINGRESP it RECEIVED — while the broker counts from the last
 * packet IT received (the PINGREQ), a round trip earlier.
 */
export function mqttjsIntervalMs(keepaliveMs: number): number {
  return Math.ceil(keepaliveMs / 2);
}

/** Clock ms after its last reschedule at which MQTT.js sends PINGREQ. */
export function mqttjsPingAfterMs(keepaliveMs: number): number {
  return 2 * mqttjsIntervalMs(keepaliveMs);
}

/** Clock ms after its last reschedule at which MQTT.js gives up ("Keepalive timeout"). */
export function mqttjsTimeoutAfterMs(keepaliveMs: number): number {
  return 3 * mqttjsIntervalMs(keepaliveMs);
}

/** Incoming packets that reschedule MQTT.js's keepalive (handlers/index.ts), CONNACK included. */
export const MQTTJS_RESCHEDULING_PACKETS: ReadonlySet<string> = new Set([
  "connack",
  "pingresp",
  "puback",
  "pubrec",
  "pubcomp",
  "suback",
  "unsuback",
  "pubrel",
  "auth",
]);
