import { describe, expect, it } from "vitest";
import { createKeepaliveModel } from "../../../src/broker/keepalive/index.js";
import { type ManualClock, manualClock } from "../../../src/core/clock.js";
import { DEFAULT_PROFILE_OPTIONS, type ProfileName } from "../../../src/core/profile.js";

function run(profile: ProfileName, keepaliveMs: number, pings: number[], untilMs: number) {
  const clock: ManualClock = manualClock();
  const model = createKeepaliveModel(clock, { ...DEFAULT_PROFILE_OPTIONS, profile });
  let kickedAt: number | null = null;
  const watch = model.watch(keepaliveMs, {
    onKick: (k) => {
      kickedAt = k.at;
    },
  });
  for (const p of pings) {
    clock.advanceTo(p);
    if (kickedAt === null) watch.touch();
  }
  clock.advanceTo(untilMs);
  model.close();
  return kickedAt;
}

describe("runtime keepalive models (worked examples)", () => {
  it("nanomq Q=10 s M=1.25", () => {
    expect(run("nanomq", 2000, [], 200_000)).toBe(25_000);
    expect(run("nanomq", 60_000, [], 200_000)).toBe(95_000);
    expect(run("nanomq", 60_000, [12_000], 200_000)).toBe(12_000 + 3_000 + 80_000);
  });
  it("spec and mosquitto", () => {
    expect(run("spec", 60_000, [10_000], 500_000)).toBe(100_000);
    expect(run("mosquitto", 60_000, [], 500_000)).toBe(96_000);
  });
});
