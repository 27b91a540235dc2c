import { describe, expect, it } from "vitest";
import type { KeepaliveCode } from "../../../src/probe/findings.js";
import type { Inferred } from "../../../src/probe/keepalive-fit-types.js";
import { keepaliveAdvice, keepaliveAdviceFixes } from "../../../src/report/probe-keepalive-advice.js";
import { SIGNATURE_EXPLANATIONS } from "../../../src/signatures/explanations.js";
import { keepaliveFinding } from "../../helpers/probe-samples.js";

/** Issue 11, item 4, for a probe target: the keepalive advice names the levers of the broker the fit points at. */
const finding = (code: KeepaliveCode, inferred: Partial<Inferred>) =>
  keepaliveFinding(code === "late-kick" ? "warn" : "fail", code, inferred);
const TICK: Partial<Inferred> = { model: "tick", tickS: 10, multiplier: 1.25, multiplierRange: [1.25, 1.3] };
const SWEEP: Partial<Inferred> = {
  model: "sweep",
  granularityS: 6,
  multiplier: 1.5,
  multiplierRange: [1.45, 1.55],
};
const known = new Set(SIGNATURE_EXPLANATIONS["keepalive-timeout"].fixes.map((f) => f.code));

describe("probe keepalive advice by broker", () => {
  it("a tick (NanoMQ): NanoMQ's levers; the backoff trap when silent clients were never kicked", () => {
    expect(keepaliveAdviceFixes(finding("late-kick", TICK))).toEqual({
      broker: "nanomq",
      fixes: ["nanomq-keepalive-multiplier", "nanomq-retry-interval"],
    });
    expect(keepaliveAdviceFixes(finding("not-kicked", TICK))?.fixes).toContain(
      "nanomq-keepalive-backoff-trap",
    );
  });

  it.each(["late-kick", "early-whole-second"] as const)(
    "a sweep (mosquitto), %s: mosquitto's levers, and the text names none of NanoMQ's settings",
    (code) => {
      const f = finding(code, SWEEP);
      expect(keepaliveAdviceFixes(f)).toEqual({
        broker: "mosquitto",
        fixes: ["mosquitto-sweep", "mosquitto-client-keepalive", "mosquitto-max-keepalive"],
      });
      expect(keepaliveAdvice(f)).toMatch(/max_keepalive/);
      expect(keepaliveAdvice(f)).not.toMatch(/retry_interval|keepalive_multiplier|keepalive_backoff/);
    },
  );

  it("every code it names is a keepalive-timeout fix of the catalogue", () => {
    for (const f of [
      finding("late-kick", TICK),
      finding("not-kicked", TICK),
      finding("late-kick", SWEEP),
      finding("early-whole-second", { model: "exact" }),
    ])
      for (const code of keepaliveAdviceFixes(f)?.fixes ?? []) expect(known).toContain(code);
  });

  it("no advice, no fixes", () => {
    expect(keepaliveAdviceFixes(finding("within-window", SWEEP))).toBeUndefined();
  });
});
