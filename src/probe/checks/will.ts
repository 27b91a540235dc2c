import { round } from "../../core/round.js";
import { startSession } from "../check-session.js";
import type { FindingOf } from "../findings.js";
import type { SilentSample } from "../keepalive-sessions.js";
import type { CheckContext } from "../types.js";
import { type WillWatcher, willTopic } from "../will-watcher.js";

const SPEC_REF = "[MQTT-3.1.2-8] (3.1.1)";

/**
 * `will`: the delay from a TCP reset, and from each silent death (the keepalive sessions, which carry wills),
 * to the will's arrival at a watcher subscribed to this run's will topics.
 */
export async function checkWill(
  ctx: CheckContext,
  watcher: WillWatcher,
  silent: readonly SilentSample[],
): Promise<FindingOf<"will">> {
  const { options } = ctx;
  const resetMs = await willAfterReset(ctx, watcher);
  const deaths = silent.flatMap((s) =>
    s.closeAt !== null && !s.error ? [{ ...s, closeAt: s.closeAt }] : [],
  );
  const afterDeath = await Promise.all(
    deaths.map(async (s) => {
      const wait = Math.max(0, s.closeAt + options.timeoutMs - options.clock.now());
      const at = await watcher.waitFor(s.clientId, wait);
      return at === undefined
        ? null
        : {
            afterLastPacket: round((at - s.lastPacketAt) / 1000, 2),
            afterClose: round((at - s.closeAt) / 1000, 2),
          };
    }),
  );
  const arrived = afterDeath.filter((d): d is NonNullable<typeof d> => d !== null);
  const missing = afterDeath.length - arrived.length;
  const measured = {
    afterResetMs: resetMs === null || typeof resetMs === "string" ? null : round(resetMs, 1),
    silentDeaths: deaths.length,
    willsArrived: arrived.length,
    afterLastPacket: arrived.length ? round(Math.max(...arrived.map((a) => a.afterLastPacket)), 2) : null,
    afterCloseMax: arrived.length ? round(Math.max(...arrived.map((a) => a.afterClose)), 3) : null,
    waited: options.timeoutMs / 1000,
  };
  if (typeof resetMs === "string")
    return { id: "will", status: "error", code: "no-session", specRef: SPEC_REF, measured };
  if (resetMs === null || missing > 0) {
    return {
      id: "will",
      status: "fail",
      code: resetMs === null ? "no-will-after-reset" : "no-will-after-kick",
      specRef: SPEC_REF,
      measured,
    };
  }
  return { id: "will", status: "pass", code: "delivered", specRef: SPEC_REF, measured };
}

/** Clock ms from an RST to the will's arrival; null if it never came; a string when no session. */
async function willAfterReset(ctx: CheckContext, watcher: WillWatcher): Promise<number | null | string> {
  const clientId = ctx.clientId("will-rst");
  const will = {
    topic: willTopic(ctx, clientId),
    payload: Buffer.from("mqdiag probe will"),
    qos: 0 as const,
    retain: false,
  };
  const started = await startSession(ctx, "will-rst", 60, { clientId, will });
  if (!started.ok) return started.reason;
  const resetAt = ctx.options.clock.now();
  started.session.wire.reset();
  const at = await watcher.waitFor(clientId, ctx.options.timeoutMs);
  return at === undefined ? null : at - resetAt;
}
