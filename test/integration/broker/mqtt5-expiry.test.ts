import { afterEach, describe, expect, it } from "vitest";
import { manualClock } from "../../../src/core/clock.js";
import { broker } from "./helpers.js";
import { expiryForwarded, expiryRetained, expiryWhileQueued } from "./mqtt5-expiry.js";
import { type Env, endAll, manualEnv } from "./mqtt5-procedures.js";

/**
 * (5.0) Message Expiry Interval on the spec profile, with MQTT.js 5 clients and the broker on a manual clock (the
 * wait is one step of it, nothing else moves it): an expired message is not delivered [MQTT-3.3.2-5], the interval
 * left is sent on [MQTT-3.3.2-6], retained messages expire.
 */
afterEach(endAll);

async function specEnv(): Promise<Env> {
  const clock = manualClock();
  const b = await broker({ profile: "spec", clock });
  return manualEnv(b.url, clock);
}

describe("spec profile: message expiry", () => {
  it("a forwarded message carries its interval (nothing waited)", async () => {
    expect(await expiryForwarded(await specEnv(), 60)).toEqual({ live: 60 });
  });

  it("queued for an absent session: the expired one is not delivered, the other carries what is left", async () => {
    const got = await expiryWhileQueued(await specEnv(), { shortS: 2, longS: 60 }, 3000);
    expect(Object.keys(got).sort()).toEqual(["long", "none"]);
    expect(got.none).toBe("none");
    expect(got.long).toBe(57); // 60 s less the 3 s waited
  });

  it("retained messages expire: a later subscriber gets only those still alive, with what is left", async () => {
    const got = await expiryRetained(await specEnv(), { shortS: 2, longS: 60 }, 3000);
    expect(Object.keys(got).sort()).toEqual(["long", "none"]);
    expect(got.long).toBe(57);
  });
});
