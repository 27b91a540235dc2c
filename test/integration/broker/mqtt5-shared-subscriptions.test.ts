import { afterEach, describe, expect, it } from "vitest";
import { broker } from "./helpers.js";
import { connackOf, connect5, endAll, realSleep } from "./mqtt5-procedures.js";
import { sharedGroup, subscribeReaction } from "./mqtt5-shared.js";

/**
 * (5.0) Shared subscriptions on the spec profile (§4.8.2): each message goes to one member of each group (round
 * robin from the first member), non-shared subscribers get theirs, a shared subscription gets no retained messages
 * (§4.8.2, §3.3.1.3: they go to new non-shared subscriptions only), an invalid share name [MQTT-4.8.2-1/2] gets
 * SUBACK 0x8F.
 */
afterEach(endAll);

describe("spec profile: shared subscriptions", () => {
  it("CONNACK says they are available; 6 messages: A gets m0 m2 m4, B m1 m3 m5, the plain subscriber all", async () => {
    const b = await broker({ profile: "spec" });
    const env = { url: b.url, sleep: realSleep };
    expect(connackOf(await connect5(env, {}))?.properties?.sharedSubscriptionAvailable).toBe(true);
    expect(await sharedGroup(env, 6)).toEqual({
      a: ["m0", "m2", "m4"],
      b: ["m1", "m3", "m5"],
      plain: ["retained", "m0", "m1", "m2", "m3", "m4", "m5"],
    });
  });

  it("invalid share names get SUBACK 0x8F and the connection stays; valid ones are granted", async () => {
    const b = await broker({ profile: "spec" });
    for (const filter of [
      "$share/g+/x",
      "$share/g#/x",
      "$share//x",
      "$share/g",
      "$share/g/",
      "$share/g/a/#/b",
    ])
      expect(await subscribeReaction(b.port, filter, 100)).toEqual({
        replies: ["suback 143"],
        closed: false,
      });
    for (const filter of ["$share/g/x/#", "$share/g/+"])
      expect(await subscribeReaction(b.port, filter, 100)).toEqual({ replies: ["suback 0"], closed: false });
  });

  it("No Local on a shared subscription: DISCONNECT 0x82 [MQTT-3.8.3-4]", async () => {
    const b = await broker({ profile: "spec" });
    expect(await subscribeReaction(b.port, "$share/g/x", 300, true)).toEqual({
      replies: ["disconnect 130"],
      closed: true,
    });
  });
});
