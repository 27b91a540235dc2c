import { type DelayWindow, idleTimerExpiry, type KickQuery, type KickWindow } from "./predict-types.js";

/**
 * HiveMQ CE, from the broker's source, not run (hivemq/hivemq-community-edition src/main/java/com/hivemq):
 * - mqtt/handler/connect/ConnectHandler.java `addKeepAliveHandler`: timeout = (int)(KA × 1.5) whole seconds
 *   (`keepAliveValue.intValue()`, InternalConfigurations `MQTT_CONNECTION_KEEP_ALIVE_FACTOR = 1.5`): KA 5 → 7 s;
 *   keepalive 0 → no handler (an MQTT 5 client with 0, when zero is not allowed, gets the server maximum instead);
 * - mqtt/handler/KeepAliveDisconnectHandler.java: at least 1 s (`MIN_TIMEOUT_NANOS`); any inbound bytes count
 *   (`lastReadTime` at `channelReadComplete`); the task fires when the channel has been idle for the timeout;
 * - mqtt/handler/KeepAliveDisconnectService.java `submitKeepAliveDisconnect`: the close itself is queued and done
 *   by a task scheduled 100 ms later (batched), so it comes up to 100 ms after the decision.
 */
export const HIVEMQ_CLOSE_DELAY_MS = 100;

/** The idle timeout, ms: (int)(KA·1.5) s, at least 1 s; null when keepalive is off. */
export function hivemqTimeoutMs(keepaliveMs: number): number | null {
  const ka = Math.floor(keepaliveMs / 1000);
  if (ka <= 0) return null;
  return Math.max(Math.trunc(ka * 1.5), 1) * 1000;
}

/** When the idle task decides (exact): the first gap of the timeout, after the last packet before it. */
export function hivemqDecisionAt(query: KickQuery): number | null {
  const timeoutMs = hivemqTimeoutMs(query.keepaliveMs);
  return timeoutMs === null ? null : idleTimerExpiry(query, timeoutMs);
}

/** The close: from the decision to 100 ms after it (the disconnect task's delay). */
export function hivemqKickWindow(query: KickQuery): KickWindow | null {
  const at = hivemqDecisionAt(query);
  return at === null ? null : { earliestMs: at, latestMs: at + HIVEMQ_CLOSE_DELAY_MS, exact: false };
}

/** [T, T + 100 ms] after the last packet (or after CONNECT). */
export function hivemqDelay(keepaliveMs: number): DelayWindow | null {
  const t = hivemqTimeoutMs(keepaliveMs);
  return t === null ? null : { minMs: t, maxMs: t + HIVEMQ_CLOSE_DELAY_MS, exact: false };
}
