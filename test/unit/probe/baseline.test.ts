import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { parseTarget } from "../../../src/core/target.js";
import { baselineFromResult, compareBaseline } from "../../../src/probe/baseline.js";
import { readBaseline } from "../../../src/probe/baseline-file.js";
import { probeExitStatus } from "../../../src/probe/exit-status.js";
import type { ProbeFinding } from "../../../src/probe/findings.js";
import type { Inferred } from "../../../src/probe/keepalive-fit-types.js";
import type { ProbeResult } from "../../../src/probe/types.js";
import { driftText } from "../../../src/report/probe-baseline.js";
import { probeJunit } from "../../../src/report/probe-junit.js";
import {
  keepaliveFinding,
  malformedFinding,
  retainCorrupted,
  retainIntact,
} from "../../helpers/probe-samples.js";

const tick = (range: [number, number], tickS = 1): Partial<Inferred> => ({
  model: "tick",
  multiplier: range[0],
  multiplierRange: range,
  tickS,
  granularityS: null,
});

/** A NanoMQ-like result: keepalive (late-kick warn), malformed (packet type 0 left open), retain. */
function result(
  inferred: Partial<Inferred>,
  over: { malformed?: ProbeFinding; retain?: ProbeFinding } = {},
): ProbeResult {
  const checks: ProbeFinding[] = [
    keepaliveFinding("warn", "late-kick", inferred),
    over.malformed ?? malformedFinding("fail", "left-open", ["packet-type-0"]),
    over.retain ?? retainIntact(),
  ];
  return {
    schema: "mqdiag.probe/v1",
    target: { ...parseTarget("127.0.0.1:1883"), mqttVersion: "5" },
    startedAt: "2026-12-01T00:00:00.000Z",
    durationMs: 1000,
    insecure: false,
    checks,
  };
}

const base = baselineFromResult(result(tick([1.25, 1.273])));
const compare = (r: ProbeResult) => {
  const c = compareBaseline(base, "b.json", r);
  return { c, exit: probeExitStatus({ ...r, baseline: c }, "error") };
};

describe("baseline comparison", () => {
  it("the same behaviour: no drift, exit 0; the failing malformed check is a known deviation", () => {
    const { c, exit } = compare(result(tick([1.25, 1.3])));
    expect(c.drift).toEqual([]);
    expect(exit).toBe(0);
    expect(c.notes).toContainEqual({
      code: "known-deviation",
      check: "malformed",
      status: "fail",
      deviations: ["left-open", "left-open:packet-type-0"],
    });
    // JUnit: a known deviation is not a failure with a baseline
    expect(probeJunit({ ...result(tick([1.25, 1.3])), baseline: c })).toMatch(/failures="0"/);
  });

  it("M 1.25 → 1.5 (ranges disjoint): parameter-moved naming both ranges, exit 1", () => {
    const { c, exit } = compare(result(tick([1.5, 1.545])));
    expect(c.drift).toEqual([
      {
        code: "parameter-moved",
        check: "keepalive",
        parameter: "multiplier",
        from: [1.25, 1.273],
        to: [1.5, 1.545],
        tolerance: "ranges must overlap",
      },
    ]);
    expect(driftText(c.drift[0] as (typeof c.drift)[0])).toBe(
      "keepalive multiplier moved: 1.25–1.273 → 1.5–1.545 (tolerance: ranges must overlap)",
    );
    expect(exit).toBe(1);
  });

  it("a range still open but overlapping (Q 10 s, M < 2.5) is no drift", () => {
    const b = baselineFromResult(result(tick([0, 2.5], 10)));
    expect(compareBaseline(b, "b.json", result(tick([1.25, 2.5], 10))).drift).toEqual([]);
  });

  it("retry_interval 1 s → 2 s: tickS moved beyond ±0.1 s", () => {
    const { c } = compare(result(tick([1.25, 1.273], 2)));
    expect(c.drift).toContainEqual(
      expect.objectContaining({ code: "parameter-moved", parameter: "tickS", from: 1, to: 2 }),
    );
  });

  it("tick → sweep: model-changed", () => {
    const { c } = compare(result({ model: "sweep", multiplier: 1.5, granularityS: 6, tickS: null }));
    expect(c.drift).toEqual([{ code: "model-changed", check: "keepalive", from: "tick", to: "sweep" }]);
  });

  it("a passing check now fails: check-regressed, exit 1", () => {
    const { c, exit } = compare(result(tick([1.25, 1.273]), { retain: retainCorrupted() }));
    expect(c.drift).toEqual([
      { code: "check-regressed", check: "retain", from: "pass", to: "fail", toCode: "corrupted" },
    ]);
    expect(exit).toBe(1);
  });

  it("a failing check fails in a new way: new-deviation names it", () => {
    const { c } = compare(
      result(tick([1.25, 1.273]), {
        malformed: malformedFinding("fail", "left-open", ["packet-type-0", "pingreq-flags"]),
      }),
    );
    expect(c.drift).toEqual([
      { code: "new-deviation", check: "malformed", deviations: ["left-open:pingreq-flags"] },
    ]);
  });

  it("a known deviation fixed: improved, reported, exit 0", () => {
    const { c, exit } = compare(
      result(tick([1.25, 1.273]), {
        malformed: malformedFinding("pass", "closed", []),
      }),
    );
    expect(c.notes).toContainEqual({ code: "improved", check: "malformed", from: "fail", to: "pass" });
    expect(exit).toBe(0);
  });

  it("a check that could not run now: inconclusive, exit 3", () => {
    const { c, exit } = compare(
      result(tick([1.25, 1.273]), {
        retain: {
          id: "retain",
          status: "error",
          code: "unreachable",
          specRef: null,
          measured: { failure: "refused" },
        },
      }),
    );
    expect(c.notes).toContainEqual({ code: "inconclusive", check: "retain", toCode: "unreachable" });
    expect(exit).toBe(3);
  });
});

describe("readBaseline: anything but a baseline is one usage error", () => {
  const dir = mkdtempSync(join(tmpdir(), "mqdiag-baseline-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const bad: [string, string, RegExp][] = [
    ["not-json", "{ nope", /is not JSON/],
    ["array", "[]", /not a JSON object/],
    [
      "probe-report",
      JSON.stringify({ schema: "mqdiag.probe/v1", checks: [] }),
      /schema is "mqdiag.probe\/v1"/,
    ],
    [
      "bad-check",
      JSON.stringify({ ...base, checks: [{ id: "teleport", status: "pass", code: "x", deviations: [] }] }),
      /unknown check "teleport"/,
    ],
    [
      "bad-range",
      JSON.stringify({ ...base, keepalive: { ...base.keepalive, multiplierRange: ["1.25", 1.3] } }),
      /keepalive model missing/,
    ],
    ["bad-version", JSON.stringify({ ...base, mqttVersion: 4 }), /unknown mqttVersion 4/],
  ];
  for (const [name, text, message] of bad) {
    it(`${name} → UsageError ${message}`, () => {
      expect(() => readBaseline(file(name, text))).toThrow(UsageError);
      expect(() => readBaseline(file(name, text))).toThrow(message);
    });
  }
  it("a missing file", () => expect(() => readBaseline(join(dir, "none.json"))).toThrow(/cannot read/));
  it("a saved baseline reads back", () => {
    expect(readBaseline(file("ok.json", JSON.stringify(base)))).toEqual(base);
  });
});
