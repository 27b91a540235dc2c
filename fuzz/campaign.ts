import { parseArgs } from "node:util";
import { startBroker } from "../src/broker/index.js";
import { parseProfileName } from "../src/core/options.js";
import { CLOSES_AT_ONCE_MS, profileExpectation } from "./expect.js";
import { startHealthyStream } from "./healthy.js";
import { type FuzzStats, runFuzz } from "./run.js";

/**
 * `npm run fuzz [-- --packets 1000000 --profile nanomq --seed 1 --concurrency 48]`: the long fuzz campaign
 * against the embedded broker, with a healthy QoS 1 stream through it. Prints what it sent, what the broker did,
 * and the memory at the end. Exits 1 if anything went wrong.
 */
const { values } = parseArgs({
  options: {
    packets: { type: "string", default: "1000000" },
    profile: { type: "string", default: "nanomq" },
    seed: { type: "string", default: "1" },
    concurrency: { type: "string", default: "48" },
  },
});
const packets = Number(values.packets);
const seed = Number(values.seed);
const broker = await startBroker({ port: 0, profile: parseProfileName(values.profile) });
const healthy = await startHealthyStream(broker.url);
global.gc?.();
const memoryBefore = process.memoryUsage();
const progress = (s: FuzzStats) =>
  process.stderr.isTTY &&
  process.stderr.write(
    `\r${s.packets.toLocaleString()} packets, ${s.connections.toLocaleString()} connections, ${(s.durationMs / 1000).toFixed(0)} s`,
  );
const stats = await runFuzz({
  host: broker.host,
  port: broker.port,
  packets,
  seed,
  concurrency: Number(values.concurrency),
  onProgress: progress,
});
if (process.stderr.isTTY) process.stderr.write("\n");
const stream = await healthy.stop();
await new Promise((r) => setTimeout(r, 500));
const brokerStats = broker.stats();
global.gc?.();
const memory = process.memoryUsage();
await broker.close();

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const mismatched = Object.entries(stats.variants).filter(([variant, o]) => {
  const expected = profileExpectation(broker.profile, variant);
  const replies = Object.keys(o.replies);
  return (
    (expected.closes ? o.open > 0 : o.closed > 0) ||
    replies.length !== 1 ||
    replies[0] !== expected.reply ||
    o.slowestCloseMs >= CLOSES_AT_ONCE_MS
  );
});
console.log(`profile ${values.profile}, seed ${seed}, ${(stats.durationMs / 1000).toFixed(1)} s`);
console.log(
  `sent: ${stats.packets.toLocaleString()} packets (${mb(stats.bytes)}) on ${stats.connections.toLocaleString()} connections`,
);
console.log(
  `broker: closed ${stats.closedByBroker.toLocaleString()}, left open ${stats.leftOpen.toLocaleString()}, ` +
    `violations seen ${brokerStats.violations.toLocaleString()}, internal errors ${brokerStats.internalErrors}, ` +
    `connections still open at the end ${brokerStats.connections}`,
);
// Over all connections this includes the event-loop lag of the fuzzer sharing the process: a figure, not a verdict.
console.log(`slowest close after a connection's last write: ${stats.slowestCloseMs.toFixed(1)} ms`);
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
if (mismatched.length > 0) console.log(`not as the profile says: ${mismatched.map(([v]) => v).join(", ")}`);
console.log(
  `healthy QoS 1 stream: sent ${stream.sent}, received ${stream.received}, lost ${stream.lost}, duplicated ${stream.duplicated}, errors ${stream.errors.length}`,
);
console.log(
  `memory (after GC; broker and fuzzer share the process): heap used ${mb(memoryBefore.heapUsed)} at the start, ` +
    `${mb(memory.heapUsed)} at the end (the broker keeps its last ${broker.logLines().length.toLocaleString()} log lines); ` +
    `rss ${mb(memoryBefore.rss)} → ${mb(memory.rss)}`,
);
const failed =
  brokerStats.internalErrors > 0 ||
  stream.lost > 0 ||
  stream.duplicated > 0 ||
  stream.errors.length > 0 ||
  mismatched.length > 0 ||
  Object.keys(stats.socketErrors).length > 0;
console.log(failed ? "FAILED" : "ok");
process.exitCode = failed ? 1 : 0;
