import { afterEach, describe, expect, it } from "vitest";
import { nanomqAvailable } from "../../helpers/nanomq.js";
import { endAll } from "../broker/mqtt5-procedures.js";
import { overlapping } from "../broker/overlap.js";
import { OVERLAP_CASES } from "../broker/overlap-cases.js";
import { nanomq025SideBySide } from "../broker/side-by-side.js";

/** Overlapping subscriptions and Subscription Identifiers: the real NanoMQ 0.25.3 and the nanomq profile. */
describe.runIf(nanomqAvailable("0.25.3"))(
  "overlapping subscriptions: real NanoMQ 0.25.3 and the nanomq profile",
  () => {
    const { both } = nanomq025SideBySide();
    afterEach(endAll);

    it.each(OVERLAP_CASES)("$name", async ({ version, subs, nanomq }) => {
      const [real, embedded] = await both((b) => overlapping(b.env, version, subs));
      expect(real).toEqual(nanomq);
      expect(embedded).toEqual(real);
    });
  },
);
