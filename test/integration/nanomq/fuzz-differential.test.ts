import { afterAll, describe, expect, it } from "vitest";
import { VARIANT_RACES } from "../../../fuzz/diff-known.js";
import { type DiffPair, nanomqPair } from "../../../fuzz/diff-targets.js";
import { type DiffRecord, diffRange } from "../../../fuzz/differential.js";
import { NANOMQ_VERSIONS, nanomqAvailable } from "../../helpers/nanomq.js";

/**
 * Differential fuzzing, a short slice: the same generated connections (CONNECT, then one bad packet — a named
 * variant of the corpus or a mutation of a valid packet — or garbage instead of the CONNECT) against the real NanoMQ
 * and the nanomq profile of the same version; per connection: closed or left open, every byte answered, the log
 * lines as the fidelity suite compares them. A difference must be one of the named known ones (fuzz/diff-known.ts),
 * and every named variant must agree exactly. The seed changes every run and is in the test's name;
 * MQDIAG_FUZZ_SEED=<n> replays it. A connection that differs unexplained (or a named variant that differs) is
 * measured once more and fails only if it differs again: the real broker's timing varies (fuzz/differential.ts).
 * `npm run bench -- fuzz-diff` runs it at 100,000 connections per version.
 */
const CONNECTIONS = 30;
const seed = Number(process.env.MQDIAG_FUZZ_SEED ?? Math.floor(Math.random() * 1_000_000));
const available = NANOMQ_VERSIONS.filter((v) => nanomqAvailable(v));

describe.runIf(available.length > 0)(
  `differential fuzzing against the real NanoMQ (MQDIAG_FUZZ_SEED=${seed})`,
  { concurrent: true },
  () => {
    // The builds side by side, each its own broker pair.
    const pairs = new Set<DiffPair>();
    afterAll(async () => {
      await Promise.all([...pairs].map((p) => p.stop()));
    });

    for (const version of available) {
      it(`${version}, seed ${seed}: ${CONNECTIONS} connections, every difference a named one`, async () => {
        const pair = await nanomqPair(version);
        pairs.add(pair);
        const records: DiffRecord[] = [];
        const summary = await diffRange(pair.real, pair.profile, 0, CONNECTIONS, {
          seed,
          settleMs: 150,
          lines: pair.lines,
          known: pair.known,
          onRecord: (r) => records.push(r),
        });
        expect(summary.realBrokerFailures).toEqual([]);
        expect(summary.unexplained).toEqual([]);
        expect(summary.connections).toBe(CONNECTIONS);
        // The corpus's named variants: no difference at all, known or not (but a named race of the real broker's).
        expect(
          records.filter(
            (r) =>
              r.plan === "variant" && r.difference !== undefined && !VARIANT_RACES.includes(r.difference),
          ),
        ).toEqual([]);
        expect(summary.same).toBeGreaterThan(CONNECTIONS / 3);
      });
    }
  },
);
