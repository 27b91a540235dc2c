import { cpus, loadavg } from "node:os";
import Table from "cli-table3";
import { type Broker, startBroker } from "../src/broker/index.js";
import { realClock } from "../src/core/clock.js";
import { percentile } from "./fleet-stats.js";
import { type BenchClient, closeBenchClient, connectBenchClient, pingMs } from "./relay-fleet.js";
import { cpuMs } from "./thread-cpu.js";

/**
 * `npm run bench -- relay`: what the link's relay (src/link) costs a fleet with no fault set. CLIENTS raw fleet
 * clients connect straight to the embedded broker and CLIENTS more each through its own relay (as a fleet client
 * with `link: { faults: [] }` does), in the same process and the same run, at real time, on loopback:
 *   - connect, one at a time: TCP open + CONNECT → CONNACK per client, direct and relay alternating client by
 *     client (which kind goes first alternates too), so a load change hits both kinds alike: the fleet;
 *   - connect, BATCH at once: BATCHES extra batches per kind, kinds alternating, closed again afterwards;
 *   - round trip, one at a time: PINGREQ → PINGRESP, one client at a time, direct and relay interleaved client by
 *     client, ROUNDS rounds: the relay's own cost per packet;
 *   - round trip, all at once: every client of one kind pings at the same moment (a burst), kinds in turn, BURSTS
 *     times: the cost under load. The relays run in a thread of their own (src/link/relay-host.ts), so their
 *     socket work runs beside the clients' and the broker's, given a free core; CLIENTS more clients behind
 *     relays on this thread, as they ran before (bench/relay-fleet.ts), burst in turn with the others: the
 *     reference for what the thread changes; and CLIENTS more direct clients, a second direct fleet whose
 *     difference from the first is the bench's own noise (what "added" reads when nothing is added). The CPU each
 *     burst took on this thread and in all is printed, and how long this thread waited for a CPU meanwhile
 *     (runnable, but another thread or process had the core: the relay thread, or other work on the machine).
 * Reported as p50/p99 of each kind, the difference (relay − direct; the targets at p99: ≤ 1 ms one at a time,
 * ≤ 5 ms for a burst) and the ratio. The pooled p99 of the bursts is the worst burst's: one burst the machine
 * slowed (another process, a GC) moves it by tens of ms, on either side. So each burst's own p99 (of the 1000 pings
 * that crossed at once) is also compared with that of the direct burst of the same round, and the median of these
 * differences over the rounds printed, with their range.
 * The machine's load average is printed before and after: other work on it shows up in both columns.
 */
const CLIENTS = Number(process.env.MQDIAG_BENCH_CLIENTS ?? 1000);
const BATCH = 100;
const BATCHES = 4;
const ROUNDS = 5;
const BURSTS = 20;

interface Sample {
  direct: number[];
  relay: number[];
}

const ms = (x: number) => `${x.toFixed(3)}`;
const signedMs = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;

/** The fleet: every client connected one at a time, direct and relay alternating (which goes first alternates). */
async function connectAll(
  broker: Broker,
): Promise<{ clients: BenchClient[]; connect: Sample; relayStart: number[] }> {
  const clock = realClock();
  const clients: BenchClient[] = [];
  const target = { host: broker.host, port: broker.port };
  for (let i = 1; i <= CLIENTS; i++) {
    const kinds = i % 2 === 0 ? (["direct", "relay"] as const) : (["relay", "direct"] as const);
    for (const kind of kinds)
      clients.push(await connectBenchClient(clock, target, kind, `bench-${kind}-${i}`));
  }
  return { clients, connect: split(clients, (c) => c.connectMs), relayStart: relayStarts(clients) };
}

/** CLIENTS more behind relays on this thread and CLIENTS more direct, for the burst's references (not timed). */
async function connectReferences(broker: Broker): Promise<BenchClient[]> {
  const clock = realClock();
  const target = { host: broker.host, port: broker.port };
  const out: BenchClient[] = [];
  for (let i = 1; i <= CLIENTS; i++) {
    out.push(await connectBenchClient(clock, target, "relay-here", `bench-here-${i}`));
    out.push(await connectBenchClient(clock, target, "direct-again", `bench-again-${i}`));
  }
  return out;
}

/** BATCH more clients of each kind connecting at once, kinds alternating, BATCHES times; closed again after. */
async function connectBatches(broker: Broker): Promise<{ connect: Sample; relayStart: number[] }> {
  const clock = realClock();
  const all: BenchClient[] = [];
  const target = { host: broker.host, port: broker.port };
  try {
    for (let b = 0; b < BATCHES; b++) {
      const kinds = b % 2 === 0 ? (["direct", "relay"] as const) : (["relay", "direct"] as const);
      for (const kind of kinds)
        all.push(
          ...(await Promise.all(
            Array.from({ length: BATCH }, (_, k) =>
              connectBenchClient(clock, target, kind, `bench-batch-${kind}-${b}-${k}`),
            ),
          )),
        );
    }
  } finally {
    await Promise.all(all.map(closeBenchClient));
  }
  return { connect: split(all, (c) => c.connectMs), relayStart: relayStarts(all) };
}

const split = (clients: BenchClient[], f: (c: BenchClient) => number): Sample => ({
  direct: clients.filter((c) => c.kind === "direct").map(f),
  relay: clients.filter((c) => c.kind === "relay").map(f),
});
const relayStarts = (clients: BenchClient[]) =>
  clients.filter((c) => c.kind === "relay").map((c) => c.relayStartMs);

async function sequentialRtt(clients: BenchClient[]): Promise<Sample> {
  const direct = clients.filter((c) => c.kind === "direct");
  const relay = clients.filter((c) => c.kind === "relay");
  const out: Sample = { direct: [], relay: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < Math.min(direct.length, relay.length); i++) {
      const d = direct[i];
      const r = relay[i];
      if (!d || !r) continue;
      for (const c of round % 2 === 0 ? [d, r] : [r, d])
        (c === d ? out.direct : out.relay).push(await pingMs(c));
    }
  }
  return out;
}

type BurstKind = "direct" | "relay" | "relay-here" | "direct-again";
const BURST_KINDS: readonly BurstKind[] = ["direct", "relay", "relay-here", "direct-again"];

/**
 * CPU ms per burst of each kind: this (the clients' and the broker's) thread, and the whole process; and the ms
 * this thread was runnable but waited for a CPU.
 */
interface BurstCpu {
  main: Record<BurstKind, number>;
  waited: Record<BurstKind, number>;
  process: Record<BurstKind, number>;
  known: boolean;
}

interface Bursts {
  /** Every ping of every burst, per kind. */
  samples: Record<BurstKind, number[]>;
  /** Each burst's own p99, per kind, round by round. */
  p99s: Record<BurstKind, number[]>;
  cpu: BurstCpu;
}

async function burstRtt(clients: BenchClient[]): Promise<Bursts> {
  const none = () => ({ direct: [], relay: [], "relay-here": [], "direct-again": [] });
  const samples: Record<BurstKind, number[]> = none();
  const p99s: Record<BurstKind, number[]> = none();
  const zero = () => ({ direct: 0, relay: 0, "relay-here": 0, "direct-again": 0 });
  const cpu: BurstCpu = { main: zero(), waited: zero(), process: zero(), known: true };
  for (let burst = 0; burst < BURSTS; burst++) {
    // each kind first, second and third in turn
    const order = BURST_KINDS.map((_, i) => BURST_KINDS[(i + burst) % BURST_KINDS.length] as BurstKind);
    for (const kind of order) {
      const group = clients.filter((c) => c.kind === kind);
      const before = cpuMs();
      const burst = await Promise.all(group.map(pingMs));
      const after = cpuMs();
      samples[kind].push(...burst);
      p99s[kind].push(percentile(burst, 99));
      cpu.main[kind] += ((after.main ?? 0) - (before.main ?? 0)) / BURSTS;
      cpu.waited[kind] += ((after.waited ?? 0) - (before.waited ?? 0)) / BURSTS;
      cpu.process[kind] += (after.process - before.process) / BURSTS;
      if (after.main === null) cpu.known = false;
    }
  }
  return { samples, p99s, cpu };
}

function report(rows: [string, Sample][], relayStart: [string, number[]][], bursts: Bursts): void {
  const { cpu } = bursts;
  const table = new Table({
    head: ["", "direct p50 / p95 / p99", "relay p50 / p95 / p99", "added p50 / p95 / p99", "ratio p50 / p99"],
    style: { head: [], border: [] },
  });
  for (const [label, s] of rows) {
    const d50 = percentile(s.direct, 50);
    const d95 = percentile(s.direct, 95);
    const d99 = percentile(s.direct, 99);
    const r50 = percentile(s.relay, 50);
    const r95 = percentile(s.relay, 95);
    const r99 = percentile(s.relay, 99);
    table.push([
      `${label}\n(n ${s.direct.length} + ${s.relay.length})`,
      `${ms(d50)} / ${ms(d95)} / ${ms(d99)}`,
      `${ms(r50)} / ${ms(r95)} / ${ms(r99)}`,
      `${signedMs(r50 - d50)} / ${signedMs(r95 - d95)} / ${signedMs(r99 - d99)}`,
      `${(r50 / d50).toFixed(2)} / ${(r99 / d99).toFixed(2)}`,
    ]);
  }
  console.log(table.toString());
  console.log("all times in real ms");
  const main = (kind: BurstKind) =>
    cpu.known
      ? `${cpu.main[kind].toFixed(0)} ms (+ ${cpu.waited[kind].toFixed(0)} ms waiting for a CPU)`
      : "n/a";
  const line = (kind: BurstKind) =>
    `this thread ${main(kind)}, the process ${cpu.process[kind].toFixed(0)} ms`;
  console.log(
    `CPU per burst of ${CLIENTS} pings (this thread: the clients' and the broker's): direct ${line("direct")}; relay ${line("relay")}; relay on this thread ${line("relay-here")}; direct again ${line("direct-again")}`,
  );
  const paired = (kind: BurstKind) => {
    const diffs = bursts.p99s[kind].map((x, i) => x - (bursts.p99s.direct[i] ?? Number.NaN));
    const sorted = [...diffs].sort((a, b) => a - b);
    return `${signedMs(percentile(diffs, 50))} [${signedMs(sorted[0] ?? Number.NaN)} … ${signedMs(sorted.at(-1) ?? Number.NaN)}]`;
  };
  console.log(
    `${CLIENTS} at once, each burst's p99 − the direct burst's of its round, median [range] over ${BURSTS} rounds: relay ${paired("relay")}; relay on this thread ${paired("relay-here")}; direct again (the noise) ${paired("direct-again")}`,
  );
  for (const [label, xs] of relayStart)
    console.log(
      `relay start (listen on a loopback port, once per client, not in the connect time), ${label}: p50 ${ms(percentile(xs, 50))} ms, p99 ${ms(percentile(xs, 99))} ms`,
    );
}

const load = () =>
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} on ${cpus().length} CPUs`;

export default async function run(): Promise<void> {
  console.log(
    `${CLIENTS} clients direct + ${CLIENTS} through a fault-free relay each (+ ${CLIENTS} behind relays on this thread and ${CLIENTS} more direct for the burst), embedded broker, real time`,
  );
  console.log(`before: ${load()}`);
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const broker = await startBroker({ port: 0, profile: "nanomq" });
  let clients: BenchClient[] = [];
  try {
    const connected = await connectAll(broker);
    clients = connected.clients;
    if (broker.stats().connections !== 2 * CLIENTS)
      throw new Error(`expected ${2 * CLIENTS} connections, the broker counts ${broker.stats().connections}`);
    const seq = await sequentialRtt(clients);
    clients.push(...(await connectReferences(broker)));
    const burst = await burstRtt(clients);
    const batches = await connectBatches(broker);
    report(
      [
        ["connect, one at a time", connected.connect],
        [`connect, ${BATCH} at once`, batches.connect],
        ["PINGREQ→PINGRESP, one at a time", seq],
        [`PINGREQ→PINGRESP, ${CLIENTS} at once`, burst.samples],
        [
          `PINGREQ→PINGRESP, ${CLIENTS} at once, relays on this thread (before)`,
          { direct: burst.samples.direct, relay: burst.samples["relay-here"] },
        ],
        [
          `PINGREQ→PINGRESP, ${CLIENTS} at once, direct again (a second direct fleet: the noise)`,
          { direct: burst.samples.direct, relay: burst.samples["direct-again"] },
        ],
      ],
      [
        ["one at a time", connected.relayStart],
        [`${BATCH} at once`, batches.relayStart],
      ],
      burst,
    );
  } finally {
    await Promise.all(clients.map(closeBenchClient));
    await broker.close();
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - wall0;
  console.log(
    `after: ${load()}; this process used ${((cpu.user + cpu.system) / 1000 / wall).toFixed(2)} CPUs over ${(wall / 1000).toFixed(1)} s`,
  );
}
