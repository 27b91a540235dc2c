import { beforeAll, describe, expect, it } from "vitest";
import { nanomqAvailable } from "../../helpers/nanomq.js";
import {
  type ExpirySeen,
  expiryForwarded,
  expiryRetained,
  expiryWhileQueued,
} from "../broker/mqtt5-expiry.js";
import { type Env, realSleep, started } from "../broker/mqtt5-procedures.js";
import { nanomq025SideBySide } from "../broker/side-by-side.js";

/**
 * (5.0) Message Expiry Interval on the real NanoMQ 0.25.3 and the embedded nanomq profile side by side (real time,
 * retry_interval 1 s, the same MQTT.js 5 procedure on both at once). Measured (5 runs, no variance): NanoMQ sends
 * the interval on unchanged however long the message waited (10 stays 10), but drops a queued message past its
 * interval; a SUBSCRIBE gets its retained messages in topic order up to the first expired one (a, b, c with b
 * expired: only a), and the expired one stays stored and stops every later SUBSCRIBE there too.
 */
const WAIT_MS = 2200;
const intervals = { shortS: 1, longS: 10 };

const RETAINED_CASES = [
  // topic order long < none < short: the expired one is last
  { names: { short: "short", long: "long", none: "none" }, expected: { long: 10, none: "none" } },
  { names: { short: "a", long: "b", none: "c" }, expected: {} },
  { names: { long: "a", short: "b", none: "c" }, expected: { long: 10 } },
];

describe.runIf(nanomqAvailable("0.25.3"))("message expiry: real NanoMQ 0.25.3 and the nanomq profile", () => {
  const brokers = nanomq025SideBySide();
  // every procedure starts in beforeAll, on both brokers at once, so their waits overlap
  let queued: () => Promise<ExpirySeen[]>;
  let retained: () => Promise<ExpirySeen[]>;
  let forwarded: () => Promise<ExpirySeen[]>;
  beforeAll(async () => {
    const envs: Env[] = [brokers.real.url, brokers.embedded.url].map((url) => ({ url, sleep: realSleep }));
    queued = started(() => Promise.all(envs.map((env) => expiryWhileQueued(env, intervals, WAIT_MS, 3200))));
    retained = started(() =>
      Promise.all(
        RETAINED_CASES.flatMap(({ names }) =>
          envs.map((env) => expiryRetained(env, intervals, WAIT_MS, names)),
        ),
      ),
    );
    forwarded = started(() => Promise.all(envs.map((env) => expiryForwarded(env, 30))));
  });

  it("queued: the expired one is dropped, the other comes (one per tick) with its interval unchanged", async () => {
    const [r, e] = await queued();
    expect(r).toEqual({ long: 10, none: "none" });
    expect(e).toEqual(r);
  }, 20_000);

  it("retained: sent by depth then name up to the first expired one, intervals unchanged", async () => {
    const seen = await retained();
    RETAINED_CASES.forEach(({ expected }, i) => {
      expect(seen[2 * i]).toEqual(expected); // real
      expect(seen[2 * i + 1]).toEqual(expected); // profile
    });
  }, 20_000);

  it("forwarded at once: the interval as published", async () => {
    const [r, e] = await forwarded();
    expect(r).toEqual({ live: 30 });
    expect(e).toEqual(r);
  }, 20_000);
});
