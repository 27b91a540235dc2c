import { fileURLToPath } from "node:url";
import Table from "cli-table3";
import { type ChildTiming, loadLine, timeChild, withChildrenKilled } from "./child-run.js";
import { percentile } from "./fleet-stats.js";

/**
 * `npm run bench -- startup`: cold start of the built CLI, each command run RUNS times in its own child process
 * (`node bin/mqdiag.js …`), as a ratio to bare `node -e 0` and to MQTT.js's own CLI (`mqtt version`, the tool an
 * MQTT user already has; issue 11's target: ≤ 1.5× node, < mqtt version), all measured in the same run;
 * `node -e "import('mqtt')"` (the heaviest dependency) is shown too; the last column compares the fastest runs,
 * which other processes on the machine disturb least. The commands are interleaved round-robin so that a change in machine
 * load affects every row alike; one untimed warm-up round fills the page cache first. `broker --port 0` is timed
 * until its "listening on" line on stderr, then stopped with SIGTERM (its shutdown time is reported too).
 */
const RUNS = Number(process.env.MQDIAG_BENCH_STARTUP_RUNS ?? 20);
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = "bin/mqdiag.js";

interface Case {
  label: string;
  args: string[];
  readyOn?: RegExp;
}

const REFERENCE = "node -e 0";
const MQTT_REFERENCE = "node -e \"import('mqtt')\"";
const MQTT_CLI = "mqtt version (MQTT.js CLI)";
// mqtt@5 ships its CLI as build/bin/mqtt.js (node_modules/.bin/mqtt links to it); run it with node, as mqdiag is.
const MQTT_CLI_BIN = fileURLToPath(new URL("../../node_modules/.bin/mqtt", import.meta.url));
const CASES: Case[] = [
  { label: REFERENCE, args: ["-e", "0"] },
  { label: MQTT_CLI, args: [MQTT_CLI_BIN, "version"] },
  { label: MQTT_REFERENCE, args: ["-e", "import('mqtt')"] },
  { label: "mqdiag --version", args: [BIN, "--version"] },
  { label: "mqdiag --help", args: [BIN, "--help"] },
  { label: "mqdiag explain 139", args: [BIN, "explain", "139"] },
  {
    label: "mqdiag config (shipped nanomq.conf)",
    args: [BIN, "config", "test/fixtures/conf/nanomq-shipped.conf"],
  },
  {
    label: "mqdiag logs (real NanoMQ 0.25.3 log, 15 KB)",
    args: [BIN, "logs", "test/fixtures/logs/nanomq-real-0.25.3-console.log"],
  },
  {
    label: "mqdiag broker --port 0 (to 'listening on')",
    args: [BIN, "broker", "--port", "0"],
    readyOn: /listening on \S+:\d+/,
  },
];

/** Issue 11's start-up target: each of these ≤ 1.5× `node -e 0` and faster than `mqtt version`. */
const TARGETS = [
  "mqdiag --version",
  "mqdiag --help",
  "mqdiag explain 139",
  "mqdiag config (shipped nanomq.conf)",
];

const median = (xs: readonly number[]) => percentile(xs, 50);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function measure(): Promise<Map<string, ChildTiming[]>> {
  const results = new Map<string, ChildTiming[]>(CASES.map((c) => [c.label, []]));
  for (let round = -1; round < RUNS; round++) {
    // rotate the order each round: no command always runs right after the same one
    for (let i = 0; i < CASES.length; i++) {
      const c = CASES[(i + Math.max(0, round)) % CASES.length] as Case;
      const t = await timeChild(c.args, { cwd: ROOT, readyOn: c.readyOn });
      if (!t.ok) throw new Error(`${c.label} failed: ${t.detail}`);
      if (round >= 0) results.get(c.label)?.push(t);
    }
  }
  return results;
}

function report(results: Map<string, ChildTiming[]>): void {
  const ms = (label: string) => (results.get(label) ?? []).map((t) => t.ms);
  const ref = median(ms(REFERENCE));
  const refMin = Math.min(...ms(REFERENCE));
  const mqttCli = median(ms(MQTT_CLI));
  const table = new Table({
    head: [
      "command",
      "median",
      "p90",
      "min",
      "× node -e 0",
      "× mqtt version",
      "over node -e 0",
      "min × node min",
    ],
    style: { head: [], border: [] },
  });
  for (const c of CASES) {
    const xs = ms(c.label);
    const m = median(xs);
    table.push([
      c.label,
      fmt(m),
      fmt(percentile(xs, 90)),
      fmt(Math.min(...xs)),
      (m / ref).toFixed(2),
      (m / mqttCli).toFixed(2),
      `${m - ref >= 0 ? "+" : ""}${fmt(m - ref)}`,
      (Math.min(...xs) / refMin).toFixed(2),
    ]);
  }
  console.log(table.toString());
  // issue 11's target, on the medians of this run
  const missed = TARGETS.filter((label) => {
    const m = median(ms(label));
    return !(m <= 1.5 * ref && m < mqttCli);
  });
  console.log(
    missed.length === 0
      ? `target met: ${TARGETS.map((t) => t.replace("mqdiag ", "")).join(", ")} each ≤ 1.5× node -e 0 and < mqtt version (medians)`
      : `target missed by: ${missed.join(", ")} (≤ 1.5× node -e 0 and < mqtt version, medians)`,
  );
  const stops = (results.get(CASES[CASES.length - 1]?.label ?? "") ?? []).map((t) => t.stopMs ?? Number.NaN);
  console.log(
    `broker SIGTERM → exit: median ${fmt(median(stops))}, max ${fmt(Math.max(...stops))} (${stops.length} runs)`,
  );
  console.log(
    `${RUNS} runs per command (+1 untimed warm-up round), wall time spawn → exit (or → the ready line), node ${process.version}`,
  );
  console.log(loadLine());
}

export default async function startupBench(): Promise<void> {
  await withChildrenKilled(async () => report(await measure()));
}
