import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { parseProfileOptions } from "../../../src/core/options.js";
import { parseTickFault } from "../../../src/core/tick-fault-options.js";

/** --tick-jitter / --tick-drift / --tick-seed: the SIMULATED nanomq tick fault's options. */
describe("parseTickFault", () => {
  it.each([
    [{}, undefined],
    [{ tickJitter: "200ms" }, { jitterMs: 200, drift: 0, seed: 1 }],
    [{ tickJitter: "2" }, { jitterMs: 2000, drift: 0, seed: 1 }], // a bare number is seconds, as elsewhere
    [{ tickDrift: "5%" }, { jitterMs: 0, drift: 0.05, seed: 1 }],
    [{ tickDrift: "+2.5%" }, { jitterMs: 0, drift: 0.025, seed: 1 }],
    [{ tickDrift: "-40%" }, { jitterMs: 0, drift: -0.4, seed: 1 }],
    [
      { tickJitter: "1s", tickDrift: "-90%", tickSeed: "4294967295" },
      { jitterMs: 1000, drift: -0.9, seed: 4294967295 },
    ],
    [{ tickJitter: "0ms", tickDrift: "0%" }, undefined], // both 0: no fault at all, the plain model runs
  ])("%j → %j", (raw, fault) => {
    expect(parseTickFault(raw, "nanomq")).toEqual(fault);
  });

  it.each([
    [{ tickJitter: "-1s" }, "--tick-jitter: expected a duration"],
    [{ tickDrift: "0.05" }, "--tick-drift: expected a percentage like 5% or -20%"],
    [{ tickDrift: "-100%" }, "--tick-drift: expected from -90% to 1000%"],
    [{ tickDrift: "1001%" }, "--tick-drift: expected from -90% to 1000%"],
    [{ tickDrift: "5%", tickSeed: "1" }, "--tick-seed: needs --tick-jitter"],
    [{ tickJitter: "1s", tickSeed: "1.5" }, "--tick-seed: expected a whole number"],
    [{ tickJitter: "1s", tickSeed: "4294967296" }, "--tick-seed: expected a whole number"],
  ])("%j is refused: %s", (raw, message) => {
    expect(() => parseTickFault(raw, "nanomq")).toThrow(UsageError);
    expect(() => parseTickFault(raw, "nanomq")).toThrow(message);
  });

  it("mosquitto and spec have no per-connection tick: refused, saying why", () => {
    expect(() => parseProfileOptions({ profile: "mosquitto", tickJitter: "1s" })).toThrow(
      "--tick-jitter: the mosquitto profile has no per-connection tick to disturb (its keepalive is one broker-wide sweep every 6 s on whole seconds); only --profile nanomq has one",
    );
    expect(() => parseProfileOptions({ profile: "spec", tickDrift: "5%" })).toThrow(
      "--tick-drift: the spec profile has no per-connection tick to disturb (its deadline is exactly 1.5 × keepalive after the last packet)",
    );
  });

  it("parseProfileOptions: tickFault only when set", () => {
    expect(parseProfileOptions({})).not.toHaveProperty("tickFault");
    expect(parseProfileOptions({ tickDrift: "-20%" }).tickFault).toEqual({
      jitterMs: 0,
      drift: -0.2,
      seed: 1,
    });
  });
});
