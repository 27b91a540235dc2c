import { afterEach, describe, expect, it } from "vitest";
import { VARIANT_RACES } from "../../fuzz/diff-known.js";
import { type DiffPair, mosquittoPair } from "../../fuzz/diff-targets.js";
import { type DiffRecord, diffRange } from "../../fuzz/differential.js";
import { mosquittoAvailable } from "../helpers/mosquitto.js";

/**
 * Differential fuzzing, a short slice, against the real mosquitto 2.0.11 and the mosquitto profile: as
 * test/integration/nanomq/fuzz-differential.test.ts does for NanoMQ (lines: the catalogue's mosquitto templates).
 */
const CONNECTIONS = 30;
const seed = Number(process.env.MQDIAG_FUZZ_SEED ?? Math.floor(Math.random() * 1_000_000));

describe.runIf(mosquittoAvailable())(
  `differential fuzzing against the real mosquitto (MQDIAG_FUZZ_SEED=${seed})`,
  () => {
    let pair: DiffPair | undefined;
    afterEach(async () => {
      await pair?.stop();
      pair = undefined;
    });

    it(`seed ${seed}: ${CONNECTIONS} connections, every difference a named one`, async () => {
      pair = await mosquittoPair();
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
      expect(
        records.filter(
          (r) => r.plan === "variant" && r.difference !== undefined && !VARIANT_RACES.includes(r.difference),
        ),
      ).toEqual([]);
      expect(summary.same).toBeGreaterThan(CONNECTIONS / 3);
    });
  },
);
