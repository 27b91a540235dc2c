import { afterEach, describe, expect, it } from "vitest";
import { nanomqAvailable } from "../../helpers/nanomq.js";
import { endAll } from "../broker/mqtt5-procedures.js";
import { sharedGroup, subscribeReaction } from "../broker/mqtt5-shared.js";
import { nanomq025SideBySide } from "../broker/side-by-side.js";

/**
 * (5.0) Shared subscriptions on the real NanoMQ 0.25.3 and the embedded nanomq profile side by side. Measured: with
 * two members the messages alternate, starting with either member — one broker-wide counter picks member
 * counter mod n, the members ordered by pipe id (mqtt_db.c iterate_shared_client); the first subscriber went first
 * in 6 runs, the second in 1; no retained message on a shared SUBSCRIBE; every invalid share name, and No Local on
 * a shared subscription, → DISCONNECT 0x82.
 */
describe.runIf(nanomqAvailable("0.25.3"))(
  "shared subscriptions: real NanoMQ 0.25.3 and the nanomq profile",
  () => {
    const { both } = nanomq025SideBySide();
    afterEach(endAll);

    it("the members alternate, no retained message to the shared members, on both", async () => {
      const even = ["m0", "m2", "m4"];
      const odd = ["m1", "m3", "m5"];
      for (const seen of await both((b) => sharedGroup(b.env, 6))) {
        // which member goes first follows NanoMQ's pipe ids: either (the profile: the first to subscribe)
        expect([even, odd]).toContainEqual(seen.a);
        expect(seen.b).toEqual(seen.a[0] === "m0" ? odd : even);
        expect(seen.plain).toEqual(["retained", "m0", "m1", "m2", "m3", "m4", "m5"]);
      }
    });

    it("every invalid share name → DISCONNECT 0x82, on both", async () => {
      for (const filter of ["$share/g+/x", "$share/g#/x", "$share//x", "$share/g", "$share/g/"]) {
        const [r, e] = await both((b) => subscribeReaction(b.port, filter));
        expect(r).toEqual({ replies: ["disconnect 130"], closed: true });
        expect(e).toEqual(r);
      }
    }, 20_000);

    it("No Local on a shared subscription → DISCONNECT 0x82, on both", async () => {
      const [r, e] = await both((b) => subscribeReaction(b.port, "$share/g/x", 300, true));
      expect(r).toEqual({ replies: ["disconnect 130"], closed: true });
      expect(e).toEqual(r);
    });
  },
);
