import type { Rand } from "../core/prng.js";

/**
 * What a fleet client does after its connection dropped (its own keepalive timeout, the broker's close, a reset):
 *   none       stays down (the default);
 *   immediate  reconnects at once; a failed attempt is retried every `retryMs` (default 1 s, MQTT.js's
 *              reconnectPeriod);
 *   backoff    attempt n waits min(maxMs, initialMs · factor^(n−1)) · (1 − jitter · r), r ∈ [0, 1) from the
 *              client's seeded PRNG: never more than maxMs, and with jitter j never less than (1 − j) of it.
 *              The count starts again after a successful connection.
 * All in clock ms.
 */
export type ReconnectPolicy =
  | { kind: "none" }
  | { kind: "immediate"; retryMs?: number }
  | { kind: "backoff"; initialMs: number; maxMs: number; factor?: number; jitter?: number; seed?: number };

export const NO_RECONNECT: ReconnectPolicy = { kind: "none" };

/** The wait before reconnect attempt `attempt` (1 = the first after a drop), or null = do not reconnect. */
export function reconnectDelayMs(policy: ReconnectPolicy, attempt: number, rand: Rand): number | null {
  switch (policy.kind) {
    case "none":
      return null;
    case "immediate":
      return attempt === 1 ? 0 : (policy.retryMs ?? 1000);
    case "backoff": {
      const base = Math.min(policy.maxMs, policy.initialMs * (policy.factor ?? 2) ** (attempt - 1));
      const jitter = Math.min(1, Math.max(0, policy.jitter ?? 0));
      return base * (1 - jitter * rand());
    }
  }
}
