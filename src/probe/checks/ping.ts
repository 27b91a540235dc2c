import { round } from "../../core/round.js";
import { startSession } from "../check-session.js";
import type { FindingOf } from "../findings.js";
import { quantile } from "../stats.js";
import type { CheckContext } from "../types.js";

const SPEC_REF = "[MQTT-3.12.4-1]";

/** `ping`: PINGREQ→PINGRESP round trips, one after another on one session; an unanswered PINGREQ fails. */
export async function checkPing(ctx: CheckContext): Promise<FindingOf<"ping">> {
  const { options, version } = ctx;
  const { clock } = options;
  const started = await startSession(ctx, "ping", 60);
  if (!started.ok) return noSession(started.reason);
  const { session } = started;
  try {
    const rttMs: number[] = [];
    for (let i = 0; i < options.pingCount; i++) {
      const sentAt = clock.now();
      session.send({ cmd: "pingreq" }, version);
      const reply = await session.waitFor("pingresp", options.timeoutMs);
      if (!reply) {
        const close = session.isClosed ? await session.closed : undefined;
        return {
          id: "ping",
          status: "fail",
          code: close ? "closed" : "no-pingresp",
          specRef: SPEC_REF,
          measured: {
            answered: rttMs.length,
            sent: i + 1,
            timeoutMs: options.timeoutMs,
            closeKind: close?.kind,
          },
        };
      }
      rttMs.push(clock.now() - sentAt);
    }
    session.send({ cmd: "disconnect" }, version);
    return {
      id: "ping",
      status: "pass",
      code: "answered",
      specRef: SPEC_REF,
      measured: {
        count: rttMs.length,
        p50Ms: round(quantile(rttMs, 0.5)),
        p95Ms: round(quantile(rttMs, 0.95)),
        maxMs: round(Math.max(...rttMs)),
      },
    };
  } finally {
    session.destroy();
  }
}

function noSession(reason: string): FindingOf<"ping"> {
  return { id: "ping", status: "error", code: "no-session", specRef: SPEC_REF, measured: { reason } };
}
