import type { FindingOf, KeepaliveMeasured, KeepalivePlanRun, PlanMeasured } from "../findings.js";
import { keepaliveAnswer } from "../keepalive-answer.js";
import { fingerprint, type KickSample } from "../keepalive-fingerprint.js";
import { multiplierBounds } from "../keepalive-hypotheses.js";
import type { SilentSample } from "../keepalive-sessions.js";

const SPEC_REF = "[MQTT-3.1.2-24] (3.1.1) / [MQTT-3.1.2-22] (5.0)";

/**
 * `keepalive`: turns the silent sessions' kick delays into the finding: per keepalive min/median/max and
 * ratio, the inferred model, and early (fail; a warn within a whole second) / late (warn) / never (fail) kicks. The sessions themselves run in
 * keepalive-sessions.ts, shared with the will check.
 */
export function keepaliveFinding(
  samples: readonly SilentSample[],
  maxWaitMs: number,
  forKeepalive?: number,
  plan?: KeepalivePlanRun,
  serverKeepAlive?: KeepaliveMeasured["serverKeepAlive"],
): FindingOf<"keepalive"> {
  const usable = samples.filter((s) => !s.error);
  const fp = fingerprint(kickSamples(usable), maxWaitMs / 1000);
  const errors = samples.filter((s) => s.error);
  const noSession = usable.length === 0 && errors.length > 0;
  return {
    id: "keepalive",
    status: noSession ? "error" : fp.status,
    code: noSession ? "no-session" : fp.code,
    specRef: SPEC_REF,
    measured: {
      samples: samples.map((s) => ({
        keepalive: s.effectiveKeepalive,
        requestedKeepalive: s.keepalive,
        kickAfter: s.kickAfter,
        closeKind: s.closeKind,
        reasonCode: s.reasonCode,
        startOffset: s.offsetMs / 1000,
        round: s.round,
        ...(s.adaptive ? { adaptive: true as const } : {}),
        ...(s.planned ? { planned: true as const } : {}),
        ...(s.error ? { error: s.error } : {}),
      })),
      groups: fp.groups,
      inferred: fp.inferred,
      reading: fp.reading,
      lag: fp.lag,
      earliestRatio: fp.earliestRatio,
      earliest: fp.earliest,
      notKicked: fp.notKicked,
      belowSpec: fp.belowSpec,
      maxWait: maxWaitMs / 1000,
      ...(forKeepalive === undefined ? {} : { forKeepalive: keepaliveAnswer(fp.inferred, forKeepalive) }),
      ...(plan ? { plan: planReport(plan, usable, fp.inferred) } : {}),
      ...(serverKeepAlive ? { serverKeepAlive } : {}),
    },
  };
}

/** What the fit needs of each usable silent session (seconds; absolute starts for a sweep's lattice). */
export function kickSamples(samples: readonly SilentSample[]): KickSample[] {
  return samples
    .filter((s) => !s.error)
    .map((s) => ({
      keepalive: s.effectiveKeepalive,
      kickAfter: s.kickAfter,
      round: s.round,
      startAt: s.lastPacketAt / 1000,
      ...(s.kickAfter === null ? { waited: s.waited } : {}),
      ...(s.adaptive ? { adaptive: true } : {}),
    }));
}

/**
 * The keepalive plan in the finding: what it was chosen for, which keepalives it ran, how many it stopped early,
 * and — when the fit is a tick — the sessions (planned or not) whose outcomes set the ends of the fitted range.
 */
function planReport(
  plan: KeepalivePlanRun,
  usable: readonly SilentSample[],
  inferred: ReturnType<typeof fingerprint>["inferred"],
): PlanMeasured {
  const range = inferred.multiplierRange;
  const bounds =
    inferred.model === "tick" && inferred.tickS !== null && range !== null
      ? multiplierBounds(
          inferred.tickS,
          range,
          kickSamples(usable).map((s) => ({
            keepalive: s.keepalive,
            kickAfter: s.kickAfter,
            waited: s.waited ?? 0,
          })),
        )
      : null;
  return { ...plan, bounds };
}
