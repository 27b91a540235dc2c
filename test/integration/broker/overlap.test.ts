import type { IConnackPacket } from "mqtt-packet";
import { afterEach, describe, expect, it } from "vitest";
import { broker } from "./helpers.js";
import { connackOf, connect5, endAll, realSleep } from "./mqtt5-procedures.js";
import { overlapping } from "./overlap.js";
import { OVERLAP_CASES } from "./overlap-cases.js";

/**
 * The spec profile on overlapping subscriptions: one copy at the highest QoS carrying every matching Subscription
 * Identifier ([MQTT-3.3.4-2..5] (5.0) allows this or a copy per subscription; [MQTT-3.3.5-1] (3.1.1) the highest
 * QoS), and the retained message on a SUBSCRIBE with that subscription's identifier only.
 */
describe("overlapping subscriptions on the spec profile", () => {
  afterEach(endAll);

  it("says Subscription Identifiers Available in its MQTT 5 CONNACK", async () => {
    const b = await broker({ profile: "spec" });
    const c = await connect5({ url: b.url, sleep: realSleep });
    expect((connackOf(c) as IConnackPacket).properties?.subscriptionIdentifiersAvailable).toBe(true);
  });

  const SPEC = [
    ["r q0 []", "r q1 [7]", "r q0 [9]", "m q1 [7,9]"],
    ["r q0 [9]", "r q1 [7]", "r q0 []", "m q1 [9,7]"],
    ["r q1 []", "r q0 []", "m q1 []"],
    ["r q0 []", "r q1 []", "m q1 []"],
  ];
  it.each(OVERLAP_CASES.map((c, i) => ({ ...c, spec: SPEC[i] })))(
    "$name",
    async ({ version, subs, spec }) => {
      const b = await broker({ profile: "spec" });
      expect(await overlapping({ url: b.url, sleep: realSleep }, version, subs)).toEqual(spec);
    },
  );
});
