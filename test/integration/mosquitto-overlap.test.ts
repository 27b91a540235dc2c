import { afterEach, describe, expect, it } from "vitest";
import { mosquittoAvailable } from "../helpers/mosquitto.js";
import { endAll } from "./broker/mqtt5-procedures.js";
import { overlapping } from "./broker/overlap.js";
import { OVERLAP_CASES } from "./broker/overlap-cases.js";
import { mosquittoSideBySide } from "./broker/side-by-side.js";

/** Overlapping subscriptions and Subscription Identifiers: the real mosquitto 2.0.11 and the mosquitto profile. */
describe.runIf(mosquittoAvailable())(
  "overlapping subscriptions: real mosquitto and the mosquitto profile",
  () => {
    const { both } = mosquittoSideBySide();
    afterEach(endAll);

    it.each(OVERLAP_CASES)("$name", async ({ version, subs, mosquitto }) => {
      const [real, embedded] = await both((b) => overlapping(b.env, version, subs));
      expect(real).toEqual(mosquitto);
      expect(embedded).toEqual(real);
    });
  },
);
