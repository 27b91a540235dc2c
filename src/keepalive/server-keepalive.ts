import type { ServerKeepalive } from "../core/profile.js";

/** The keepalive a connection runs with, and the Server Keep Alive its CONNACK carries (MQTT 5 only). */
export interface KeepaliveInForce {
  /** Seconds; what the broker's keepalive model watches. */
  keepaliveS: number;
  /** The CONNACK's Server Keep Alive (§3.2.2.3.14), or undefined when the client keeps what it asked. */
  serverKeepAliveS: number | undefined;
}

/**
 * mosquitto 2.0's `max_keepalive` (handle_connect.c: `max_keepalive && (keepalive > max_keepalive || keepalive ==
 * 0)`): whether a client asking `askedS` is capped. Checked on the real 2.0.11
 * (test/integration/mosquitto-max-keepalive.test.ts).
 */
export function capsKeepalive(maxS: number, askedS: number): boolean {
  return maxS > 0 && (askedS > maxS || askedS === 0);
}

/**
 * [MQTT-3.1.2-21] (5.0): a server that sends Server Keep Alive makes the client use it instead of its own. Only
 * MQTT 5 has the property: an MQTT 3.1.1 client keeps its keepalive (mosquitto 2.0.11 accepts it unchanged even
 * above max_keepalive; 2.0.12 and later refuse it — not modelled, the embedded mosquitto profile is 2.0.11).
 */
export function keepaliveInForce(
  rule: ServerKeepalive | undefined,
  askedS: number,
  protocolVersion: number,
): KeepaliveInForce {
  const own = { keepaliveS: askedS, serverKeepAliveS: undefined };
  if (rule === undefined || protocolVersion !== 5) return own;
  if (rule.rule === "cap" && !capsKeepalive(rule.seconds, askedS)) return own;
  return { keepaliveS: rule.seconds, serverKeepAliveS: rule.seconds };
}
