import { readFileSync } from "node:fs";
import { startBroker } from "../src/broker/index.js";
import type { ProfileOptions } from "../src/core/profile.js";
import { mosquittoAvailable, startMosquitto } from "../test/helpers/mosquitto.js";
import { NANOMQ_VERSIONS, nanomqAvailable, startNanomq } from "../test/helpers/nanomq.js";
import { measureResume } from "../test/integration/broker/sessions-resume.js";

/**
 * A measurement, not a test or a benchmark: `npm run build && node dist/bench/sessions-measure.js` runs the resume of
 * test/integration/broker/sessions-resume.ts against the real brokers repeatedly and prints one RESULT line per run
 * (delivered, duplicates, DUP flags, order, arrival times). The counts in src/broker/sessions/session-policy.ts came
 * from it. Knobs: RUNS (3), WAIT ms (4000), PV (4 and 5), LEAVE (disconnect|drop), Q (NanoMQ retry_interval s, 1),
 * ONLY (a NanoMQ version, skips the rest), CASES (JSON [{n, qos}]).
 * TABLE=1: the cases of docs/sessions.md (queued 5 / 10 / 100 at QoS 0, 1, 2; 3.1.1 unless PV says otherwise) and,
 * after the RESULT lines, one markdown table per broker (median of the runs; a range when runs differ), the table
 * docs/sessions.md shows: `npm run build && TABLE=1 RUNS=3 node dist/bench/sessions-measure.js`. EMBEDDED=1 (with
 * TABLE=1) measures the embedded broker's profiles the same way, at real time (retry_interval 1 s for NanoMQ),
 * after the real brokers; EMBEDDED=only measures only them. CHECK=docs/sessions.md (with TABLE=1) compares each
 * table with the doc's (a count inside the doc's range passes) and exits 1 on a difference; the embedded profiles
 * are checked against their real broker's table.
 */
const env = process.env;
const RUNS = Number(env.RUNS ?? 3);
const ONLY = env.ONLY;
const DEFAULT_CASES = [
  { n: 5, qos: 1 as const },
  { n: 10, qos: 1 as const },
  { n: 20, qos: 1 as const },
  { n: 10, qos: 2 as const },
  { n: 5, qos: 0 as const },
];
const TABLE = env.TABLE === "1";
const TABLE_CASES = [5, 10, 100].flatMap((n) => ([0, 1, 2] as const).map((qos) => ({ n, qos })));
const CASES = env.CASES
  ? (JSON.parse(env.CASES) as { n: number; qos: 0 | 1 | 2 }[])
  : TABLE
    ? TABLE_CASES
    : DEFAULT_CASES;
const VERSIONS = (env.PV ? [Number(env.PV)] : TABLE ? [4] : [4, 5]) as (4 | 5)[];
/** Per broker and case, the runs' counts (TABLE=1). */
const tables = new Map<string, Map<string, { delivered: number; lost: number; duplicated: number }[]>>();

async function sweep(name: string, url: string): Promise<void> {
  for (const protocolVersion of VERSIONS)
    for (const c of CASES)
      for (let run = 0; run < RUNS; run++) {
        const r = await measureResume(url, {
          ...c,
          waitMs: Number(env.WAIT ?? 4000),
          protocolVersion,
          leave: env.LEAVE === "drop" ? "drop" : "disconnect",
        });
        const key = `${c.qos}/${c.n}`;
        const table = tables.get(name) ?? new Map();
        tables.set(name, table);
        table.set(key, [...(table.get(key) ?? []), r]);
        console.log(
          `RESULT ${name} v${protocolVersion} qos${c.qos} n${c.n} run${run}: sp=${r.sessionPresent} ` +
            `delivered=${r.delivered} dup=${r.duplicated} dupFlags=${r.dupFlags} order=${r.order.join(",")} ` +
            `at=${r.arrivalsMs.join(",")}`,
        );
      }
}

const EMBEDDED = env.EMBEDDED;
if (mosquittoAvailable() && !ONLY && EMBEDDED !== "only") {
  const m = await startMosquitto();
  try {
    await sweep("mosquitto", m.url);
  } finally {
    await m.stop();
  }
}
for (const v of NANOMQ_VERSIONS) {
  if (!nanomqAvailable(v) || (ONLY && ONLY !== v) || EMBEDDED === "only") continue;
  const b = await startNanomq(v, { retryIntervalS: Number(env.Q ?? 1) });
  try {
    await sweep(`nanomq-${v}`, b.url);
  } finally {
    await b.stop();
  }
}

/** The embedded broker's profiles, as `mqdiag scenario --profile … --retry-interval 1s` runs them. */
const EMBEDDED_PROFILES: [string, Partial<ProfileOptions>][] = [
  ["embedded spec", { profile: "spec" }],
  ["embedded mosquitto", { profile: "mosquitto" }],
  ["embedded nanomq 0.21.9", { profile: "nanomq", nanomqVersion: [0, 21, 9], retryIntervalMs: 1000 }],
  ["embedded nanomq 0.25.3", { profile: "nanomq", nanomqVersion: [0, 25, 3], retryIntervalMs: 1000 }],
];
if (EMBEDDED === "1" || EMBEDDED === "only")
  for (const [name, profile] of EMBEDDED_PROFILES) {
    const broker = await startBroker({ port: 0, ...profile });
    try {
      await sweep(name, broker.url);
    } finally {
      await broker.close();
    }
  }

/** "3" when every run agrees, else "min–max". */
function span(values: number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

/** The doc's heading of each measured broker (the embedded profiles are held to their real broker's table). */
const DOC_HEADING: Record<string, string> = {
  mosquitto: "## mosquitto 2.0.11",
  "nanomq-0.21.9": "## NanoMQ 0.21.9",
  "nanomq-0.25.3": "## NanoMQ 0.25.3",
  "embedded spec": "## spec profile",
  "embedded mosquitto": "## mosquitto 2.0.11",
  "embedded nanomq 0.21.9": "## NanoMQ 0.21.9",
  "embedded nanomq 0.25.3": "## NanoMQ 0.25.3",
};

/** The doc's rows under `heading`: "queued/qos" → [delivered, lost, duplicated] as [min, max] ranges. */
function docRows(doc: string, heading: string): Map<string, [number, number][]> {
  const rows = new Map<string, [number, number][]>();
  const lines = doc.split("\n");
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) return rows;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("## ")) break;
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 6 || !/^\d+$/.test(cells[1] ?? "")) continue;
    const range = (c: string): [number, number] => {
      const [lo, hi] = c.split("–").map(Number);
      return [lo ?? Number.NaN, hi ?? lo ?? Number.NaN];
    };
    rows.set(`${cells[1]}/${cells[2]}`, [
      range(cells[3] ?? ""),
      range(cells[4] ?? ""),
      range(cells[5] ?? ""),
    ]);
  }
  return rows;
}

if (TABLE && env.CHECK) {
  const doc = readFileSync(env.CHECK, "utf8");
  let differences = 0;
  for (const [name, table] of tables) {
    const heading = DOC_HEADING[name];
    const rows = heading ? docRows(doc, heading) : new Map<string, [number, number][]>();
    for (const c of CASES) {
      const want = rows.get(`${c.n}/${c.qos}`);
      for (const r of table.get(`${c.qos}/${c.n}`) ?? []) {
        const got = [r.delivered, r.lost, r.duplicated];
        const ok =
          want !== undefined && got.every((v, k) => v >= (want[k]?.[0] ?? 0) && v <= (want[k]?.[1] ?? -1));
        if (!ok) {
          differences++;
          console.log(
            `CHECK ${name} queued ${c.n} QoS ${c.qos}: measured ${got.join("/")}, ${heading ?? "no heading"} says ${want ? want.map((w) => w.join("–")).join("/") : "nothing"}`,
          );
        }
      }
    }
  }
  console.log(
    differences === 0
      ? `CHECK ${env.CHECK}: every count inside the doc's tables`
      : `CHECK: ${differences} differences`,
  );
  if (differences > 0) process.exitCode = 1;
}

if (TABLE)
  for (const [name, table] of tables) {
    const runs = Math.max(...[...table.values()].map((r) => r.length));
    console.log(
      `\n### ${name} (3.1.1, ${runs} runs per case, counted ${env.WAIT ?? 4000} ms after the resume)\n`,
    );
    console.log("| queued | QoS | delivered | lost | duplicated |");
    console.log("|---:|---:|---:|---:|---:|");
    for (const c of CASES) {
      const rs = table.get(`${c.qos}/${c.n}`) ?? [];
      const col = (f: (r: (typeof rs)[number]) => number) => span(rs.map(f));
      console.log(
        `| ${c.n} | ${c.qos} | ${col((r) => r.delivered)} | ${col((r) => r.lost)} | ${col((r) => r.duplicated)} |`,
      );
    }
  }
