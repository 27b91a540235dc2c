import { expect, it } from "vitest";
import { halfOpenOutcome } from "../../../src/scenarios/half-open.js";
import { DEFAULT_SCENARIO_OPTIONS } from "../../../src/scenarios/types.js";
import {
  describeEachRealNanomq,
  externalAndEmbedded,
  nanomqProfileOf,
  reproducedFirst,
} from "../../helpers/external-and-embedded.js";
import { closedAfterArgs } from "../../helpers/scenario-check.js";

/**
 * half-open against the real NanoMQ builds, Q 1 s, keepalive 2: the client pings once (~2 s after CONNECT), then
 * its link goes silent both ways for good. Ticks at 1.5 s + j·1 s after CONNECT; the PINGREQ resets n and
 * ⌊2·1.25/1⌋+1 = 3 idle ticks later the broker kicks: 5.5 s after CONNECT, ~3.5 s after the PINGREQ — the
 * external run and the embedded profile side by side, the same lines (keepalive kick → Object closed → rv 139).
 */
const OPTIONS = { ...DEFAULT_SCENARIO_OPTIONS, keepaliveS: 2 };

describeEachRealNanomq("half-open", (version, broker) => {
  it("its keepalive ends the silent connection where the tick model says, as the embedded profile does", async () => {
    const run = { names: ["half-open" as const], profile: nanomqProfileOf(version), options: OPTIONS };
    const [external, embedded] = await externalAndEmbedded(run, broker());
    for (const s of reproducedFirst(external, embedded)) {
      expect(s?.signatures.map((g) => [g.id, g.detail])).toEqual([
        ["keepalive-timeout", {}],
        ["recv-error", { reason: "Object closed" }],
        ["parse-error", { rv: 139 }],
      ]);
      const closed = closedAfterArgs(s);
      expect(Number(closed?.afterS)).toBeGreaterThan(3);
      expect(Number(closed?.afterS)).toBeLessThanOrEqual(4.1);
      expect(s?.clients.find((r) => r.clientId === halfOpenOutcome.of(s)?.clientId)?.closedBy).not.toBe(
        "broker",
      );
    }
  }, 40_000);
});
