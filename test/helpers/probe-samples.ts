import type { CheckStatus } from "../../src/probe/check-ids.js";
import type { FindingOf, KeepaliveCode, KeepaliveMeasured } from "../../src/probe/findings.js";
import type { Inferred } from "../../src/probe/keepalive-fit-types.js";

/** Findings as the checks build them, for reporter and baseline tests: only what a test sets differs. */

const NO_MODEL: Inferred = {
  model: "unknown",
  multiplier: null,
  multiplierRange: null,
  tickS: null,
  granularityS: null,
  slope: null,
  intercept: null,
  granularity: null,
  alsoFits: [],
  open: [],
};

export function keepaliveMeasured(inferred: Partial<Inferred>): KeepaliveMeasured {
  return {
    samples: [],
    groups: [],
    inferred: { ...NO_MODEL, ...inferred },
    reading: { code: "none" },
    lag: null,
    earliestRatio: null,
    earliest: null,
    notKicked: 0,
    belowSpec: 0,
    maxWait: 60,
  };
}

export function keepaliveFinding(
  status: CheckStatus,
  code: KeepaliveCode,
  inferred: Partial<Inferred>,
): FindingOf<"keepalive"> {
  return { id: "keepalive", status, code, specRef: null, measured: keepaliveMeasured(inferred) };
}

export function malformedFinding(
  status: CheckStatus,
  code: FindingOf<"malformed">["code"],
  leftOpen: string[],
): FindingOf<"malformed"> {
  return {
    id: "malformed",
    status,
    code,
    specRef: null,
    measured: { variants: [], leftOpen, maxCloseMs: null, waitedMs: 5000 },
  };
}

const RETAINED = { topic: "mqdiag/probe/run/retain", sha256: "0".repeat(64), deleted: true, leftBehind: [] };

export const retainIntact = (): FindingOf<"retain"> => ({
  id: "retain",
  status: "pass",
  code: "intact",
  specRef: null,
  measured: { ...RETAINED, readBackMs: 3, bytes: 48 },
});

export const retainCorrupted = (): FindingOf<"retain"> => ({
  id: "retain",
  status: "fail",
  code: "corrupted",
  specRef: null,
  measured: { ...RETAINED, readBackMs: 3, gotSha256: "1".repeat(64), gotBytes: 47 },
});
