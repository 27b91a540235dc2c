import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NANOMQ_LATEST } from "../../../src/core/profile.js";
import {
  type KeepaliveParams,
  largestSafeIntervalMs,
  predictKickAt,
  predictKickWindow,
  smallestAlwaysKickedIntervalMs,
} from "../../../src/keepalive/predict.js";
import { runtimeKickAt } from "./drive-runtime.js";

const params = fc.record({
  profile: fc.constantFrom("nanomq" as const, "mosquitto" as const, "spec" as const),
  retryIntervalMs: fc.integer({ min: 1, max: 20 }).map((s) => s * 500),
  keepaliveMultiplier: fc.constantFrom(1, 1.1, 1.25, 1.5, 2, 3),
  nanomqVersion: fc.constant(NANOMQ_LATEST),
});
const keepaliveMs = fc.integer({ min: 0, max: 120 }).map((s) => s * 1000);

/** Periodic pings every `intervalMs` at a random offset: is the client kicked before the 8th ping? */
function kickedWithPings(p: KeepaliveParams, ka: number, intervalMs: number, offset: number, phase: number) {
  // CONNECT at 0; the first ping comes within one interval of it, so every gap is at most intervalMs.
  const inboundAt = Array.from({ length: 8 }, (_, i) => (offset % intervalMs) + i * intervalMs);
  const last = inboundAt.at(-1) ?? 0;
  const at = predictKickAt(p, { keepaliveMs: ka, inboundAt, sweepPhaseMs: -phase });
  return at !== null && at <= last;
}

describe("keepalive model properties", () => {
  it("the runtime models and the predictor give the same kick time", () => {
    fc.assert(
      fc.property(
        params,
        keepaliveMs,
        fc.array(fc.integer({ min: 0, max: 400_000 }), { maxLength: 12 }),
        fc.integer({ min: 0, max: 5 }),
        (p, ka, inboundAt, phaseS) => {
          // mosquitto sweeps on whole seconds: a first sweep 0–5 s before this client's CONNECT.
          const client = { keepaliveMs: ka, connectAt: 6000, inboundAt, sweepPhaseMs: 6000 - phaseS * 1000 };
          const runtime = runtimeKickAt(p, client, 1_000_000).kickAt;
          const predicted = predictKickAt(p, client);
          expect(runtime).toBe(predicted === null || predicted > 1_000_000 ? null : predicted);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("pinging at the largest safe interval is never kicked; at the smallest always-kicked one always is", () => {
    fc.assert(
      fc.property(
        params,
        keepaliveMs.filter((ka) => ka > 0),
        fc.integer({ min: 1, max: 30_000 }),
        fc.integer({ min: 0, max: 5 }).map((s) => s * 1000),
        (p, ka, offset, phase) => {
          const safe = largestSafeIntervalMs(p, ka);
          const kicked = smallestAlwaysKickedIntervalMs(p, ka);
          // spec: the deadline fires at exactly 1.5 × KA, so only shorter gaps survive.
          const safeGap = p.profile === "spec" ? safe - 1 : safe;
          expect(kickedWithPings(p, ka, safeGap, offset, phase)).toBe(false);
          expect(kickedWithPings(p, ka, kicked, offset, phase)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("mosquitto: the exact kick for any sweep phase falls in the phase-unknown window", () => {
    const p: KeepaliveParams = {
      profile: "mosquitto",
      retryIntervalMs: 10_000,
      keepaliveMultiplier: 1.25,
      nanomqVersion: NANOMQ_LATEST,
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }).map((s) => s * 1000),
        fc.array(fc.integer({ min: 0, max: 300_000 }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 5 }).map((s) => s * 1000),
        (ka, inboundAt, phase) => {
          const window = predictKickWindow(p, { keepaliveMs: ka, inboundAt });
          const at = predictKickAt(p, { keepaliveMs: ka, inboundAt, sweepPhaseMs: -phase });
          expect(window).not.toBeNull();
          expect(at).not.toBeNull();
          expect(at).toBeGreaterThanOrEqual(window?.earliestMs ?? Number.NaN);
          expect(at).toBeLessThanOrEqual(window?.latestMs ?? Number.NaN);
        },
      ),
      { numRuns: 500 },
    );
  });
});
