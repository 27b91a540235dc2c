import { parseArgs } from "node:util";
import { startBroker } from "../src/broker/index.js";
import { parseNanomqVersion, parseProfileName } from "../src/core/options.js";
import { profileExpectation } from "./expect.js";
import { startHealthyStream } from "./healthy.js";
import { type FuzzStats, runFuzz, runNumberedConnection } from "./run.js";
import { campaignFailures, type Divergence, variantDivergence } from "./verdict.js";

const HELP = `npm run fuzz -- [options]: the long fuzz campaign against the embedded broker, with a healthy QoS 1
stream through it. Prints what it sent, what the broker did, the memory at the end; exit 1 if anything diverged.

  --packets <n>          packets to send (default 1000000)
  --profile <name>       nanomq | mosquitto | spec (default nanomq)
  --nanomq-version <v>   the nanomq profile's version, e.g. 0.21.9 (default latest)
  --seed <n>             the run's seed (default 1)
  --concurrency <n>      connections in flight (default 48)
  --connection <id>      replay only connection <id> of the seed's run, with the broker's trace and lines for it

examples:
  npm run fuzz -- --packets 100000 --seed 7
  npm run fuzz -- --seed 7 --connection 6951`;

function usage(message: string): never {
  process.stderr.write(`fuzz: ${message} (--help for the options)\n`);
  process.exit(2);
}

function integer(text: string, name: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) usage(`--${name}: expected an integer ≥ ${min}, got "${text}"`);
  return n;
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      packets: { type: "string", default: "1000000" },
      profile: { type: "string", default: "nanomq" },
      "nanomq-version": { type: "string", default: "latest" },
      seed: { type: "string", default: "1" },
      concurrency: { type: "string", default: "48" },
      connection: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (err) {
  usage((err as Error).message.split("\n")[0] ?? "bad arguments");
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const opt = (name: string) => String(values[name]);
let profileName: ReturnType<typeof parseProfileName>;
let nanomqVersion: ReturnType<typeof parseNanomqVersion>;
try {
  profileName = parseProfileName(opt("profile"));
  nanomqVersion = parseNanomqVersion(opt("nanomq-version"));
} catch (err) {
  usage((err as Error).message);
}
const packets = integer(opt("packets"), "packets", 1);
const seed = integer(opt("seed"), "seed", 0);
const concurrency = integer(opt("concurrency"), "concurrency", 1);
const broker = await startBroker({ port: 0, profile: profileName, nanomqVersion });
const label = `profile ${profileName}${profileName === "nanomq" ? ` ${opt("nanomq-version")}` : ""}, seed ${seed}`;

if (values.connection !== undefined) {
  // One connection alone: its outcome, and what the broker traced and logged for its client ids.
  const id = integer(opt("connection"), "connection", 0);
  const mine = (clientId: string | null) => clientId?.endsWith(`fuzz-${id}`) ?? false;
  broker.on("trace", (e) => mine(e.clientId) && console.log(`trace ${JSON.stringify(e)}`));
  broker.on("log", (l) => mine(l.clientId) && console.log(`log   ${l.line}`));
  const outcome = await runNumberedConnection(seed, id, {
    host: broker.host,
    port: broker.port,
    settleMs: 150,
    maxPackets: 12,
  });
  await broker.close();
  const divergence = variantDivergence(broker.profile, outcome);
  console.log(`${label}, connection ${id}: ${JSON.stringify(outcome)}`);
  console.log(divergence ?? "ok");
  process.exit(divergence ? 1 : 0);
}

const healthy = await startHealthyStream(broker.url);
global.gc?.();
const memoryBefore = process.memoryUsage();
const progress = (s: FuzzStats) =>
  process.stderr.isTTY &&
  process.stderr.write(
    `\r${s.packets.toLocaleString()} packets, ${s.connections.toLocaleString()} connections, ${(s.durationMs / 1000).toFixed(0)} s`,
  );
const divergences: Divergence[] = [];
const stats = await runFuzz({
  host: broker.host,
  port: broker.port,
  packets,
  seed,
  concurrency,
  onProgress: progress,
  onOutcome: (id, o) => {
    const detail = variantDivergence(broker.profile, o);
    if (detail) divergences.push({ id, detail });
  },
});
if (process.stderr.isTTY) process.stderr.write("\n");
const stream = await healthy.stop();
await new Promise((r) => setTimeout(r, 500));
const brokerStats = broker.stats();
global.gc?.();
const memory = process.memoryUsage();
await broker.close();

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
console.log(`${label}, ${(stats.durationMs / 1000).toFixed(1)} s`);
console.log(
  `sent: ${stats.packets.toLocaleString()} packets (${mb(stats.bytes)}) on ${stats.connections.toLocaleString()} connections`,
);
console.log(
  `broker: closed ${stats.closedByBroker.toLocaleString()}, left open ${stats.leftOpen.toLocaleString()}, ` +
    `violations seen ${brokerStats.violations.toLocaleString()}, internal errors ${brokerStats.internalErrors}, ` +
    `connections still open at the end ${brokerStats.connections}`,
);
console.log(
  `slowest close after a connection's last write: ${stats.slowestCloseMs.toFixed(1)} ms ` +
    `(less this process's stalls; the longest stall in a close window: ${stats.longestStallMs.toFixed(0)} ms)`,
);
console.log("named variants sent alone (closed/open, slowest close, answers):");
for (const [variant, o] of Object.entries(stats.variants).sort()) {
  const expected = profileExpectation(broker.profile, variant);
  const answers = Object.entries(o.replies)
    .map(([hex, n]) => `${hex || "none"}×${n}`)
    .join(" ");
  console.log(
    `  ${variant.padEnd(28)} ${o.closed}/${o.open}  ${o.slowestCloseMs.toFixed(0).padStart(4)} ms  ${answers}  ` +
      `profile says ${expected.closes ? "close" : "stay open"}, answer ${expected.reply || "none"}`,
  );
}
console.log(
  `healthy QoS 1 stream: sent ${stream.sent}, received ${stream.received}, lost ${stream.lost}, duplicated ${stream.duplicated}, errors ${stream.errors.length}`,
);
console.log(
  `memory (after GC; broker and fuzzer share the process): heap used ${mb(memoryBefore.heapUsed)} at the start, ` +
    `${mb(memory.heapUsed)} at the end (the broker keeps its last ${broker.logLines().length.toLocaleString()} log lines); ` +
    `rss ${mb(memoryBefore.rss)} → ${mb(memory.rss)}`,
);
const failures = campaignFailures({ stats, broker: brokerStats, stream, divergences });
for (const f of failures) console.log(`FAILED: ${f}`);
if (divergences.length > 0) console.log(`replay one: npm run fuzz -- ${replayArgs()} --connection <id>`);
console.log(failures.length > 0 ? "FAILED" : "ok");
process.exitCode = failures.length > 0 ? 1 : 0;

function replayArgs(): string {
  const version = profileName === "nanomq" ? ` --nanomq-version ${opt("nanomq-version")}` : "";
  return `--profile ${profileName}${version} --seed ${seed}`;
}
