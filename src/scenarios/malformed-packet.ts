import { UsageError } from "../core/errors.js";
import { clientIdFor } from "../fleet/fleet.js";
import { MALFORMED_NAMES } from "../fleet/malformed.js";
import { malformedExpectation } from "./malformed-expectations.js";
import type { ExpectedSignature, ScenarioDefinition, ScenarioOptionSet, ScenarioOptions } from "./types.js";
import { waitAllClosed } from "./wait-closed.js";

declare module "./types.js" {
  interface ScenarioOptions {
    /** malformed-packet: a variant name, or "all"; undefined = the default variant. */
    malformed?: string;
  }
}

const DEFAULT_VARIANT = "remaining-length-overflow";

/** --malformed <variant|all>. */
export const malformedOptions: ScenarioOptionSet = {
  specs: [
    { flags: "--malformed <variant>", description: "variant name, or all", defaultValue: DEFAULT_VARIANT },
  ],
  parse(raw) {
    const malformed = raw("malformed") ?? DEFAULT_VARIANT;
    if (malformed !== "all" && !MALFORMED_NAMES.includes(malformed))
      throw new UsageError(
        `--malformed: unknown variant "${malformed}" (choose ${MALFORMED_NAMES.join(", ")} or all)`,
      );
    return { malformed };
  },
};

/** Scenario ms a malformed client waits for the broker to close it. */
const WAIT_CLOSE_MS = 2000;

export function variantsOf(o: ScenarioOptions): string[] {
  const malformed = o.malformed ?? DEFAULT_VARIANT;
  return malformed === "all" ? [...MALFORMED_NAMES] : [malformed];
}

/** Sends a named malformed packet (--malformed, or every variant with `all`): the variant's line and rv. */
export const malformedPacket: ScenarioDefinition = {
  name: "malformed-packet",
  options: malformedOptions,
  behaviours: ["malformed"],
  explanation:
    "the broker names the bad packet, then closes; NanoMQ's rv says which kind (17 oversize length, 129 malformed, 130 protocol error)",
  // One expectation per variant and line, met only by that variant's clients (ids mqdiag-malformed-packet-<variant>-<n>).
  expected(p, o) {
    const seen: ExpectedSignature[] = variantsOf(o).flatMap((variant) =>
      malformedExpectation(p, variant).seen.map((e) => ({
        ...e,
        variant,
        clientPrefix: `${clientIdFor("malformed-packet", variant, 0).slice(0, -1)}`,
      })),
    );
    return { seen, absent: ["keepalive-timeout"] };
  },
  durationMs: () => WAIT_CLOSE_MS + 2000,
  async run(ctx) {
    const variants = variantsOf(ctx.options);
    const fleets = await Promise.all(
      variants.map((variant) =>
        ctx.startFleet({ behaviour: "malformed", variant, waitCloseMs: WAIT_CLOSE_MS }, undefined, variant),
      ),
    );
    const records = () => fleets.flatMap((f) => f.records());
    await waitAllClosed(ctx, records, WAIT_CLOSE_MS + 1000, "the broker's reaction");
    for (const r of records()) {
      const variant = String(r.notes.variant);
      const expected = malformedExpectation(ctx.profile, variant);
      const closed = r.notes.brokerClosed === true;
      ctx.check({
        code: "broker-closed",
        ok: closed === expected.closes,
        essential: true,
        args: { clientId: r.clientId, variant, expected: expected.closes, closed },
      });
    }
  },
};
