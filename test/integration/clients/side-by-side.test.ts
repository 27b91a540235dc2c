import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GAPS_PER_CASE, SIDE_BY_SIDE_CASES } from "../../../src/clients/real/cases.js";
import type { Check } from "../../../src/clients/real/compare.js";
import { REAL_LIBRARY_IDS } from "../../../src/clients/real/index.js";
import type { MeasureCase } from "../../../src/clients/real/measure.js";
import { type MeasureEnv, measureEnv } from "../../../src/clients/real/measure.js";
import { type CaseResult, runCase } from "../../../src/clients/real/side-by-side.js";
import { scaledClock } from "../../../src/core/clock.js";
import { realLibraryAvailable } from "../../helpers/real-clients.js";

/**
 * Each real client library that runs here, measured through the link against the embedded broker (real time),
 * beside its model (src/keepalive/clients): the first PINGREQ after CONNECT, the idle gaps, and the give-up after
 * an unanswered PINGREQ (every PINGRESP dropped). Equal within compare.ts's tolerance (−50/+200 ms), or a named
 * known difference within its stated bounds. Every case of every library runs at once: ~25 s. A case that differs
 * is measured once more (a loaded machine can stamp a packet late by more than the tolerance, as the whole suite's
 * start-up did once); both tries must differ to fail, and the failure shows both.
 */
const clock = scaledClock(1);
let env: MeasureEnv;
const results = new Map<MeasureCase, Promise<Check[]>>();
const here = new Map(
  await Promise.all(REAL_LIBRARY_IDS.map(async (id) => [id, await realLibraryAvailable(id)] as const)),
);

beforeAll(async () => {
  env = await measureEnv(clock);
  for (const id of REAL_LIBRARY_IDS) {
    if (!here.get(id)) continue;
    const cases = SIDE_BY_SIDE_CASES[id];
    for (const c of cases.gaps) results.set(c, settled(twice(() => runCase(env, "gaps", c))));
    for (const c of cases.giveUp) results.set(c, settled(twice(() => runCase(env, "give-up", c))));
  }
});
afterAll(() => env?.close());

/** The first try's checks when none differs, else both tries' checks when the second differs too. */
async function twice(run: () => Promise<CaseResult>): Promise<Check[]> {
  const first = await run();
  if (differing(first.checks).length === 0) return first.checks;
  const second = await run();
  return differing(second.checks).length === 0 ? second.checks : [...first.checks, ...second.checks];
}

/** Kept as a value until its test awaits it (no unhandled rejection meanwhile). */
function settled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

async function checksOf(c: MeasureCase): Promise<Check[]> {
  const r = results.get(c);
  if (!r) throw new Error("case not started");
  return r;
}

const differing = (checks: Check[]) =>
  checks
    .filter((k) => k.verdict.kind === "differs")
    .map(
      (k) =>
        `${k.quantity}: real ${k.measuredMs?.toFixed(0) ?? "never"} ms, model ${k.model ? `${k.model.minMs}–${k.model.maxMs}` : "never"} ms`,
    );

for (const id of REAL_LIBRARY_IDS) {
  describe.runIf(here.get(id))(`the real ${id} beside its model`, () => {
    for (const c of SIDE_BY_SIDE_CASES[id].gaps) {
      it(`keepalive ${c.keepaliveS} s, loop ${c.loopIntervalMs} ms: the first PINGREQ and ${GAPS_PER_CASE} idle gaps`, async () => {
        const checks = await checksOf(c);
        expect(differing(checks)).toEqual([]);
        expect(checks.map((k) => k.quantity)).toEqual(["first-gap", ...Array(GAPS_PER_CASE).fill("gap")]);
      });
    }
    for (const c of SIDE_BY_SIDE_CASES[id].giveUp) {
      it(`keepalive ${c.keepaliveS} s, every PINGRESP dropped: when it gives up`, async () => {
        const checks = await checksOf(c);
        expect(differing(checks)).toEqual([]);
        expect(checks.map((k) => k.quantity)).toEqual(["give-up"]);
      });
    }
  });
}
