import { round } from "../../core/round.js";
import { startSession, stillOpen } from "../check-session.js";
import type { CheckContext, ProbeFinding } from "../types.js";

const SPEC_REF = "[MQTT-3.1.4-2] (3.1.1) / [MQTT-3.1.4-3] (5.0)";
/** MQTT 5 DISCONNECT reason "Session taken over". */
export const SESSION_TAKEN_OVER = 0x8e;

/**
 * `takeover`: a second connection with the same client id must make the broker close the first; in MQTT 5 it
 * sends DISCONNECT 0x8E first. Measures how (FIN, RST, DISCONNECT + reason) and how fast after the 2nd CONNECT.
 */
export async function checkTakeover(ctx: CheckContext): Promise<ProbeFinding> {
  const { options } = ctx;
  const clientId = ctx.clientId("takeover");
  const finding = (status: ProbeFinding["status"], code: string, measured: Record<string, unknown>) => ({
    id: "takeover" as const,
    status,
    code,
    specRef: SPEC_REF,
    measured,
  });
  const first = await startSession(ctx, "takeover", 60, { clientId });
  if (!first.ok) return finding("error", "no-session", { reason: first.reason });
  try {
    // The first connection must be open and healthy, or its close says nothing about the takeover.
    if (!(await stillOpen(first.session, ctx))) return finding("error", "closed-before-takeover", {});
    const secondAt = options.clock.now();
    const second = await startSession(ctx, "takeover", 60, { clientId });
    if (!second.ok) return finding("fail", "second-refused", { reason: second.reason });
    try {
      const close = await first.session.waitClosed(options.timeoutMs);
      // The new connection must survive the takeover: it still answers a PINGREQ after the old one is gone.
      const secondAlive = await stillOpen(second.session, ctx);
      second.session.send({ cmd: "disconnect" }, ctx.version);
      if (!close) return finding("fail", "first-left-open", { waitedMs: options.timeoutMs, secondAlive });
      const measured = {
        closeKind: close.kind,
        reasonCode: close.reasonCode ?? null,
        afterMs: round(close.at - secondAt),
        secondAlive,
      };
      if (!secondAlive) return finding("fail", "second-closed", measured);
      // The MUST is closing the old connection; the DISCONNECT 0x8E before it is only recorded (mosquitto 2.0
      // closes with a bare FIN).
      const sentTakenOver = close.kind === "disconnect" && close.reasonCode === SESSION_TAKEN_OVER;
      return finding("pass", "first-closed", { ...measured, sentTakenOver });
    } finally {
      second.session.destroy();
    }
  } finally {
    first.session.destroy();
  }
}
