import { round } from "../../core/round.js";
import { startSession, stillOpen } from "../check-session.js";
import type { FindingOf } from "../findings.js";
import type { CheckContext } from "../types.js";

const SPEC_REF = "[MQTT-3.1.4-2] (3.1.1) / [MQTT-3.1.4-3] (5.0)";
/** MQTT 5 DISCONNECT reason "Session taken over". */
export const SESSION_TAKEN_OVER = 0x8e;

/**
 * `takeover`: a second connection with the same client id must make the broker close the first; in MQTT 5 it
 * sends DISCONNECT 0x8E first. Measures how (FIN, RST, DISCONNECT + reason) and how fast after the 2nd CONNECT.
 */
export async function checkTakeover(ctx: CheckContext): Promise<FindingOf<"takeover">> {
  const { options } = ctx;
  const clientId = ctx.clientId("takeover");
  const own = { id: "takeover", specRef: SPEC_REF } as const;
  const first = await startSession(ctx, "takeover", 60, { clientId });
  if (!first.ok) return { ...own, status: "error", code: "no-session", measured: { reason: first.reason } };
  try {
    // The first connection must be open and healthy, or its close says nothing about the takeover.
    if (!(await stillOpen(first.session, ctx)))
      return { ...own, status: "error", code: "closed-before-takeover", measured: {} };
    const secondAt = options.clock.now();
    const second = await startSession(ctx, "takeover", 60, { clientId });
    if (!second.ok)
      return { ...own, status: "fail", code: "second-refused", measured: { reason: second.reason } };
    try {
      const close = await first.session.waitClosed(options.timeoutMs);
      // The new connection must survive the takeover: it still answers a PINGREQ after the old one is gone.
      const secondAlive = await stillOpen(second.session, ctx);
      second.session.send({ cmd: "disconnect" }, ctx.version);
      if (!close)
        return {
          ...own,
          status: "fail",
          code: "first-left-open",
          measured: { waitedMs: options.timeoutMs, secondAlive },
        };
      const measured = {
        closeKind: close.kind,
        reasonCode: close.reasonCode ?? null,
        afterMs: round(close.at - secondAt),
        secondAlive,
      };
      if (!secondAlive) return { ...own, status: "fail", code: "second-closed", measured };
      // The MUST is closing the old connection; the DISCONNECT 0x8E before it is only recorded (mosquitto 2.0
      // closes with a bare FIN).
      const sentTakenOver = close.kind === "disconnect" && close.reasonCode === SESSION_TAKEN_OVER;
      return { ...own, status: "pass", code: "first-closed", measured: { ...measured, sentTakenOver } };
    } finally {
      second.session.destroy();
    }
  } finally {
    first.session.destroy();
  }
}
