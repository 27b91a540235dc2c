import { beforeAll, describe, expect, it } from "vitest";
import { mosquittoAvailable } from "../helpers/mosquitto.js";
import {
  type ExpirySeen,
  expiryForwarded,
  expiryRetained,
  expiryWhileQueued,
} from "./broker/mqtt5-expiry.js";
import { type Env, realSleep, started } from "./broker/mqtt5-procedures.js";
import { mosquittoSideBySide } from "./broker/side-by-side.js";

/**
 * (5.0) Message Expiry Interval on the real mosquitto 2.0.11 and the embedded mosquitto profile side by side, real
 * time, the same MQTT.js 5 procedure on both at once. mosquitto counts in whole seconds (a message received in
 * second S with interval I expires at S + I and carries S + I − now): after a 2.2 s wait an interval of 10 arrives
 * as 8 or 7 depending on where the second boundaries fall, one of 1 is gone; measured 5 runs each.
 */
const WAIT_MS = 2200;
const intervals = { shortS: 1, longS: 10 };

describe.runIf(mosquittoAvailable())("message expiry: real mosquitto and the mosquitto profile", () => {
  const brokers = mosquittoSideBySide();
  // every procedure starts in beforeAll, on both brokers at once, so their waits overlap
  let queued: () => Promise<ExpirySeen[]>;
  let retained: () => Promise<ExpirySeen[]>;
  let forwarded: () => Promise<ExpirySeen[]>;
  beforeAll(async () => {
    const envs: Env[] = [brokers.real.url, brokers.embedded.url].map((url) => ({ url, sleep: realSleep }));
    queued = started(() => Promise.all(envs.map((env) => expiryWhileQueued(env, intervals, WAIT_MS))));
    retained = started(() => Promise.all(envs.map((env) => expiryRetained(env, intervals, WAIT_MS))));
    forwarded = started(() => Promise.all(envs.map((env) => expiryForwarded(env, 30))));
  });

  it("queued while the session is away: the expired one is not delivered, the other has 8 or 7 s left", async () => {
    for (const got of await queued()) {
      expect(Object.keys(got).sort()).toEqual(["long", "none"]);
      expect([7, 8]).toContain(got.long);
      expect(got.none).toBe("none");
    }
  }, 20_000);

  it("retained: the expired one is gone, the other has 8 or 7 s left", async () => {
    for (const got of await retained()) {
      expect(Object.keys(got).sort()).toEqual(["long", "none"]);
      expect([7, 8]).toContain(got.long);
    }
  }, 20_000);

  it("forwarded at once: the interval as published (one less if a second boundary falls in between)", async () => {
    for (const got of await forwarded()) expect([29, 30]).toContain(got.live);
  }, 20_000);
});
