import { afterEach, describe, expect, it } from "vitest";
import { scaledClock } from "../../../src/core/clock.js";
import { broker } from "./helpers.js";
import { expiryForwarded, expiryRetained, expiryWhileQueued } from "./mqtt5-expiry.js";
import { clockEnv, type Env, endAll } from "./mqtt5-procedures.js";

/**
 * (5.0) Message Expiry Interval on the spec profile, with MQTT.js 5 clients on a clock 20× real time: an expired
 * message is not delivered [MQTT-3.3.2-5], the interval left is sent on [MQTT-3.3.2-6], retained messages expire.
 */
afterEach(endAll);

async function specEnv(): Promise<Env> {
  const clock = scaledClock(20);
  const b = await broker({ profile: "spec", clock });
  return clockEnv(b.url, clock);
}

describe("spec profile: message expiry", () => {
  it("a forwarded message carries its interval (nothing waited)", async () => {
    expect(await expiryForwarded(await specEnv(), 60)).toEqual({ live: 60 });
  });

  it("queued for an absent session: the expired one is not delivered, the other carries what is left", async () => {
    const got = await expiryWhileQueued(await specEnv(), { shortS: 2, longS: 60 }, 3000);
    expect(Object.keys(got).sort()).toEqual(["long", "none"]);
    expect(got.none).toBe("none");
    // 60 s less the 3 s waited and the clients' own time (×20 on this clock: slack for a loaded machine), rounded up
    expect(got.long).toBeGreaterThanOrEqual(50);
    expect(got.long).toBeLessThanOrEqual(57);
  });

  it("retained messages expire: a later subscriber gets only those still alive, with what is left", async () => {
    const got = await expiryRetained(await specEnv(), { shortS: 2, longS: 60 }, 3000);
    expect(Object.keys(got).sort()).toEqual(["long", "none"]);
    expect(got.long).toBeGreaterThanOrEqual(50);
    expect(got.long).toBeLessThanOrEqual(57);
  });
});
