import { afterEach, describe, expect, it } from "vitest";
import { mosquittoAvailable } from "../helpers/mosquitto.js";
import { endAll } from "./broker/mqtt5-procedures.js";
import { sharedGroup, subscribeReaction } from "./broker/mqtt5-shared.js";
import { mosquittoSideBySide } from "./broker/side-by-side.js";

/**
 * (5.0) Shared subscriptions on the real mosquitto 2.0.11 and the embedded mosquitto profile side by side. Measured
 * (5 runs, no variance): a group's messages alternate from the first member; the members get the retained message
 * on their shared SUBSCRIBE (the spec sends retained messages to non-shared subscriptions only); `$share/g+/x` and
 * `$share/g#/x` → DISCONNECT 0x81, while `$share//x`, `$share/g` and `$share/g/` are granted as ordinary filters;
 * No Local on a shared subscription is granted.
 */
describe.runIf(mosquittoAvailable())("shared subscriptions: real mosquitto and the mosquitto profile", () => {
  const { both } = mosquittoSideBySide();
  afterEach(endAll);

  it("round robin from the first member, retained messages to the shared members too, on both", async () => {
    const [r, e] = await both((b) => sharedGroup(b.env, 6));
    expect(r).toEqual({
      a: ["retained", "m0", "m2", "m4"],
      b: ["retained", "m1", "m3", "m5"],
      plain: ["retained", "m0", "m1", "m2", "m3", "m4", "m5"],
    });
    expect(e).toEqual(r);
  });

  it("invalid share names: + or # in the name → DISCONNECT 0x81; an empty name or filter → an ordinary filter", async () => {
    const cases = [
      { filter: "$share/g+/x", expected: { replies: ["disconnect 129"], closed: true } },
      { filter: "$share/g#/x", expected: { replies: ["disconnect 129"], closed: true } },
      { filter: "$share//x", expected: { replies: ["suback 0"], closed: false } },
      { filter: "$share/g", expected: { replies: ["suback 0"], closed: false } },
      { filter: "$share/g/", expected: { replies: ["suback 0"], closed: false } },
    ];
    for (const c of cases) {
      const [r, e] = await both((b) => subscribeReaction(b.port, c.filter));
      expect(r).toEqual(c.expected);
      expect(e).toEqual(r);
    }
  }, 20_000);

  it("No Local on a shared subscription: granted (the spec makes it a Protocol Error), on both", async () => {
    const [r, e] = await both((b) => subscribeReaction(b.port, "$share/g/x", 300, true));
    expect(r).toEqual({ replies: ["suback 0"], closed: false });
    expect(e).toEqual(r);
  });
});
