import { secondsOrNull as s } from "../core/seconds.js";
import type { Check } from "./check.js";
import type { RacePrediction, RaceSeen } from "./network-outcome.js";
import { toleranceMs } from "./time-scale.js";

/**
 * The race's checks (code client-outcome, `race` names the step): who gave up first against the model, when the
 * client gave up against MQTT.js's rule, when the broker kicked against its keepalive model, and how the broker's
 * side of the first connection ended. A `tie` or `either` forecast accepts either side. Without the broker's side
 * (external broker, no --broker-log) only the client's steps are checked.
 */
export function raceChecks(
  clientId: string,
  predicted: RacePrediction,
  seen: RaceSeen,
  scale: number,
  brokerObserved = true,
  /** A real --client library measured to give up this much earlier/later than its model (its named differences). */
  slack: { earlyMs: number; lateMs: number } = { earlyMs: 0, lateMs: 0 },
  /** The --client library whose rule the give-up is checked against (undefined: MQTT.js). */
  library?: string,
): Check[] {
  const tol = toleranceMs(scale);
  const checks: Check[] = [];
  const loose = predicted.first === "tie" || predicted.first === "either";
  if (brokerObserved)
    checks.push({
      code: "client-outcome",
      ok:
        predicted.first === "none"
          ? seen.first === null
          : seen.first !== null && (loose || seen.first === predicted.first),
      essential: true,
      args: { clientId, race: "first", predicted: predicted.first, seen: seen.first },
    });
  // a client the broker's close reached first (allowed by the forecast) never gave up on that connection
  const kickedFirst = seen.first === "broker" && seen.clientGaveUpAt === null && predicted.first !== "client";
  if ((predicted.clientGivesUpAt !== null || seen.clientGaveUpAt !== null) && !kickedFirst) {
    const a = seen.clientGaveUpAt;
    const b = predicted.clientGivesUpAt;
    // a library whose clocks' phase moves its give-up: anywhere in its span
    const to = predicted.clientGivesUpTo ?? b;
    checks.push({
      code: "client-outcome",
      ok:
        a !== null &&
        b !== null &&
        to !== null &&
        a >= b - tol - slack.earlyMs &&
        a <= to + tol + slack.lateMs,
      essential: false,
      args: {
        clientId,
        race: "client-gave-up",
        atS: s(a),
        predictedS: s(b),
        ...(library ? { library, predictedToS: s(to) } : {}),
        toleranceS: s(tol),
      },
    });
  }
  if (brokerObserved && seen.brokerKickedAt !== null) {
    const at = seen.brokerKickedAt;
    const from = predicted.brokerKickFrom;
    const to = predicted.brokerKickTo;
    checks.push({
      code: "client-outcome",
      ok: from !== null && to !== null && at >= from - tol && at <= to + tol,
      essential: false,
      args: { clientId, race: "broker-kicked", atS: s(at), fromS: s(from), toS: s(to), toleranceS: s(tol) },
    });
  }
  if (brokerObserved)
    checks.push({
      code: "client-outcome",
      ok:
        seen.oldConnectionEndedBy !== null &&
        (predicted.oldConnectionEnds === "either" ||
          seen.oldConnectionEndedBy === predicted.oldConnectionEnds),
      essential: true,
      args: {
        clientId,
        race: "old-connection-ended-by",
        predicted: predicted.oldConnectionEnds,
        seen: seen.oldConnectionEndedBy,
      },
    });
  return checks;
}
