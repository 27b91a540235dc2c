import { writeFileSync } from "node:fs";
import { MOSQUITTO_KNOWN, NANOMQ_KNOWN } from "../fuzz/diff-known.js";
import { type DiffPair, mosquittoPair, nanomqPair } from "../fuzz/diff-targets.js";
import { type DiffSummary, diffRange } from "../fuzz/differential.js";
import { MOSQUITTO } from "../test/helpers/mosquitto.js";
import { NANOMQ_VERSIONS, nanomqPath } from "../test/helpers/nanomq.js";

/**
 * `npm run bench -- fuzz-diff`: differential fuzzing at scale — CONNECTIONS generated connections (default
 * 100,000) per real broker (NanoMQ 0.25.3, 0.21.9, mosquitto 2.0.11) against the embedded broker with the matching
 * profile, LANES pairs of brokers side by side, each taking its share of the connection numbers one at a time.
 * Prints per broker: connections, the same, each named known difference, unexplained, real-broker failures
 * (refused connections: a crash, with the bytes), and the rate against the rate of the first lane's first 200
 * connections (the reference measured in the same run). MQDIAG_WRITE_FUZZ_DIFF=1 writes docs/fuzz-differential.md.
 *
 * Env: MQDIAG_FUZZ_DIFF_CONNECTIONS, MQDIAG_FUZZ_DIFF_LANES (default 4), MQDIAG_FUZZ_SEED (default 1),
 * MQDIAG_FUZZ_DIFF_TARGETS (e.g. "0.25.3,mosquitto"). The NanoMQ binaries: NANOMQ_0_25_3_BIN / NANOMQ_0_21_9_BIN.
 */
const CONNECTIONS = Number(process.env.MQDIAG_FUZZ_DIFF_CONNECTIONS ?? 100_000);
const LANES = Number(process.env.MQDIAG_FUZZ_DIFF_LANES ?? 4);
const SEED = Number(process.env.MQDIAG_FUZZ_SEED ?? 1);
const WANTED = process.env.MQDIAG_FUZZ_DIFF_TARGETS?.split(",");

interface Target {
  name: string;
  start(): Promise<DiffPair>;
  available: boolean;
}

const TARGETS: Target[] = [
  ...NANOMQ_VERSIONS.map((v) => ({
    name: `NanoMQ ${v}`,
    start: () => nanomqPair(v),
    available: nanomqPath(v) !== undefined,
  })),
  { name: "mosquitto 2.0.11", start: mosquittoPair, available: MOSQUITTO !== undefined },
].filter((t) => !WANTED || WANTED.some((w) => t.name.includes(w)));

function merge(all: DiffSummary[]): DiffSummary {
  const out: DiffSummary = {
    connections: 0,
    same: 0,
    differences: {},
    variantDifferences: 0,
    unexplained: [],
    realBrokerFailures: [],
    remeasured: 0,
    durationMs: 0,
  };
  for (const s of all) {
    out.connections += s.connections;
    out.remeasured += s.remeasured;
    out.same += s.same;
    out.variantDifferences += s.variantDifferences;
    for (const [k, n] of Object.entries(s.differences)) out.differences[k] = (out.differences[k] ?? 0) + n;
    out.unexplained.push(...s.unexplained);
    out.realBrokerFailures.push(...s.realBrokerFailures);
    out.durationMs = Math.max(out.durationMs, s.durationMs);
  }
  return out;
}

/** The brokers running now: stopped on Ctrl-C / SIGTERM too, so no real broker outlives the bench. */
const running = new Set<DiffPair>();
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    void Promise.all([...running].map((p) => p.stop())).finally(() => process.exit(130));
  });

async function runTarget(t: Target): Promise<DiffSummary> {
  const per = Math.ceil(CONNECTIONS / LANES);
  const lanes = Array.from({ length: LANES }, async (_, lane) => {
    const pair = await t.start();
    running.add(pair);
    try {
      const from = lane * per;
      return await diffRange(pair.real, pair.profile, from, Math.min(CONNECTIONS, from + per), {
        seed: SEED,
        settleMs: 150,
        lines: pair.lines,
        known: pair.known,
        keepUnexplained: 5,
      });
    } finally {
      running.delete(pair);
      await pair.stop();
    }
  });
  return merge(await Promise.all(lanes));
}

function table(results: Map<string, DiffSummary>): string {
  const names = [...NANOMQ_KNOWN, ...MOSQUITTO_KNOWN].map((k) => k.name);
  const combos = new Set<string>();
  for (const s of results.values()) for (const k of Object.keys(s.differences)) combos.add(k);
  const rows = [...names.filter((n) => combos.has(n)), ...[...combos].filter((c) => !names.includes(c))];
  const cols = [...results.keys()];
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const out = [
    line(["", ...cols]),
    line(["---", ...cols.map(() => "---:")]),
    line(["connections", ...cols.map((c) => String(results.get(c)?.connections ?? 0))]),
    line(["the same", ...cols.map((c) => String(results.get(c)?.same ?? 0))]),
    line([
      "differed on a named variant (any kind)",
      ...cols.map((c) => String(results.get(c)?.variantDifferences ?? 0)),
    ]),
    ...rows.map((r) => line([`\`${r}\``, ...cols.map((c) => String(results.get(c)?.differences[r] ?? 0))])),
    line([
      "real broker refused / crashed",
      ...cols.map((c) => String(results.get(c)?.realBrokerFailures.length)),
    ]),
    line(["wall time", ...cols.map((c) => `${((results.get(c)?.durationMs ?? 0) / 1000).toFixed(0)} s`)]),
  ];
  return out.join("\n");
}

function doc(results: Map<string, DiffSummary>): string {
  const reasons = [...NANOMQ_KNOWN, ...MOSQUITTO_KNOWN]
    .map((k) => `- \`${k.name}\`: ${k.reason}.`)
    .join("\n");
  return `# Differential fuzzing: counts

Generated by \`MQDIAG_WRITE_FUZZ_DIFF=1 MQDIAG_FUZZ_DIFF_CONNECTIONS=${CONNECTIONS} npm run bench -- fuzz-diff\`
(seed ${SEED}, ${LANES} lanes). How it works and what it found: [fuzz.md](fuzz.md). A combination of names
(\`a + b\`) is a connection that needed both.

${table(results)}

The known differences (fuzz/diff-known.ts):

${reasons}
`;
}

export default async function bench(): Promise<void> {
  const results = new Map<string, DiffSummary>();
  for (const t of TARGETS) {
    if (!t.available) {
      console.log(`${t.name}: not available, skipped`);
      continue;
    }
    const s = await runTarget(t);
    results.set(t.name, s);
    const rate = s.connections / (s.durationMs / 1000);
    console.log(
      `${t.name}: ${s.connections} connections in ${(s.durationMs / 1000).toFixed(0)} s (${rate.toFixed(1)}/s), ` +
        `same ${s.same}, ${JSON.stringify(s.differences)}, real-broker failures ${s.realBrokerFailures.length}`,
    );
    for (const f of s.realBrokerFailures.slice(0, 5))
      console.log(`  real broker failed at ${f.id}: ${f.error}, bytes ${f.bytes}`);
    for (const u of s.unexplained) console.log(`  unexplained: ${JSON.stringify(u)}`);
  }
  console.log(table(results));
  if (process.env.MQDIAG_WRITE_FUZZ_DIFF === "1") {
    writeFileSync(new URL("../../docs/fuzz-differential.md", import.meta.url), doc(results));
    console.log("wrote docs/fuzz-differential.md");
  }
}
