import Table from "cli-table3";
import { realClock } from "../src/core/clock.js";
import { DEFAULT_PROFILE_OPTIONS } from "../src/core/profile.js";
import type { BehaviourSpec } from "../src/fleet/behaviour-spec.js";
import { type Fleet, startFleet } from "../src/fleet/fleet.js";
import { kickDelayAfterLastPacket } from "../src/keepalive/predict.js";
import { loadLine } from "./child-run.js";
import { type BrokerUnderTest, cpuMs, rssMb } from "./fleet-broker.js";
import { startEmbedded } from "./fleet-embedded.js";
import { startMosquitto } from "./fleet-mosquitto.js";
import { type KickErrors, kickErrors, percentile } from "./fleet-stats.js";
import { monoOffsetMs } from "./mono-time.js";

/**
 * `npm run bench -- fleet`: 10,000 clients of mixed behaviours against the embedded broker (mosquitto profile, in
 * its own process: one process may hold at most 20,000 descriptors) and against the real mosquitto 2.0.11, in the
 * same run, at real time, on loopback. Reports connect time, memory (broker and fleet RSS) and the kick-time error
 * of the silent clients: measured close time (client side) minus the model's exact prediction for that client
 * (mosquittoKickAt with the broker's sweep phase and the client's CONNECT time; see fleet-embedded.ts and
 * fleet-mosquitto.ts for where each broker's inputs come from).
 *
 * Both brokers run the same model (a 6-s sweep on whole seconds, kick when now_s − last_s > ⌊1.5k⌋), so the same
 * prediction function is the reference for both: the error is then only what each broker adds (timer and sweep
 * lag, the close reaching the client), which makes the two columns comparable.
 */
const TOTAL = Number(process.env.MQDIAG_BENCH_CLIENTS ?? 10_000);
const KEEPALIVE_S = 2;
/** Connections opened at once: mosquitto 2.0 listens with a backlog of 100 (`ss -ltn`); more at once overflows its
 * accept queue and the dropped SYNs are retried after 1 s, which would measure the kernel's RTO, not the broker. */
const CONCURRENCY = 100;
const SILENT = 1;
const HEALTHY = 0;
const MIX: { share: number; label: string; spec: BehaviourSpec }[] = [
  { share: 0.4, label: "healthy (MQTT.js)", spec: { behaviour: "healthy" } },
  {
    share: 0.4,
    label: "silent after CONNECT",
    spec: { behaviour: "late-ping", intervalMs: null, pingOnTime: false },
  },
  { share: 0.1, label: "RST after 1 s", spec: { behaviour: "rst", afterMs: 1000 } },
  { share: 0.1, label: "DISCONNECT after 1 s", spec: { behaviour: "clean", afterMs: 1000 } },
];

interface Result {
  name: string;
  clients: number;
  connectMs: number;
  brokerRssMb: number;
  /** CPU time the broker process used while the clients connected. */
  brokerConnectCpuMs: number;
  /** The broker's RSS before the first client: what it costs with none. */
  brokerIdleRssMb: number;
  fleetRssMb: number;
  fleetRssDeltaMb: number;
  healthyKicked: number;
  errors: KickErrors;
  source: string;
}

async function measure(broker: BrokerUnderTest): Promise<Result> {
  const clock = realClock();
  const benchOffsetMs = monoOffsetMs(clock);
  const fleets: Fleet[] = [];
  const rssBefore = process.memoryUsage().rss;
  const brokerIdleRssMb = rssMb(broker.pid);
  const brokerCpuBefore = cpuMs(broker.pid);
  const started = performance.now();
  try {
    for (const m of MIX) {
      fleets.push(
        await startFleet({
          clock,
          target: broker.target,
          scenario: "bench",
          keepaliveS: KEEPALIVE_S,
          count: Math.round(TOTAL * m.share),
          spec: m.spec,
          concurrency: CONCURRENCY,
        }),
      );
    }
    const connectMs = performance.now() - started;
    const brokerConnectCpuMs = cpuMs(broker.pid) - brokerCpuBefore;
    const rss = process.memoryUsage().rss;
    const brokerRssMb = rssMb(broker.pid);
    const silent = () => fleets[SILENT]?.records() ?? [];
    const window = kickDelayAfterLastPacket(
      { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" },
      KEEPALIVE_S * 1000,
    );
    // the last silent client connected just now: its kick is at most window.maxMs away (+ margin)
    const deadline = performance.now() + (window?.maxMs ?? 10_000) + 3000;
    while (silent().some((r) => r.closedAt === null) && performance.now() < deadline) await clock.sleep(200);
    const predictor = await broker.predictor(benchOffsetMs, silent());
    return {
      name: broker.name,
      clients: fleets.reduce((n, f) => n + f.clients.length, 0),
      connectMs,
      brokerRssMb,
      brokerIdleRssMb,
      brokerConnectCpuMs,
      fleetRssMb: rss / 2 ** 20,
      fleetRssDeltaMb: (rss - rssBefore) / 2 ** 20,
      healthyKicked: (fleets[HEALTHY]?.records() ?? []).filter((r) => r.closedBy === "broker").length,
      errors: kickErrors(silent(), predictor),
      source: predictor.source,
    };
  } finally {
    await Promise.all(fleets.map((f) => f.stop()));
  }
}

const ms = (x: number) => (Number.isNaN(x) ? "–" : `${x >= 0 ? "+" : ""}${x.toFixed(1)} ms`);

function report(results: Result[]): void {
  const table = new Table({ head: ["", ...results.map((r) => r.name)], style: { head: [], border: [] } });
  const row = (label: string, f: (r: Result) => string) => table.push([label, ...results.map(f)]);
  row("clients", (r) => String(r.clients));
  row("connect all", (r) => `${(r.connectMs / 1000).toFixed(2)} s`);
  row("connects per second", (r) => String(Math.round(r.clients / (r.connectMs / 1000))));
  row("broker CPU while connecting", (r) => `${(r.brokerConnectCpuMs / 1000).toFixed(2)} s`);
  row("broker RSS", (r) => `${r.brokerRssMb.toFixed(0)} MB`);
  row("broker RSS with no client", (r) => `${r.brokerIdleRssMb.toFixed(0)} MB`);
  row("broker RSS per client", (r) =>
    r.clients === 0 ? "–" : `${(((r.brokerRssMb - r.brokerIdleRssMb) * 1024) / r.clients).toFixed(1)} KB`,
  );
  row(
    "fleet RSS (growth)",
    (r) =>
      `${r.fleetRssMb.toFixed(0)} MB (${r.fleetRssDeltaMb >= 0 ? "+" : ""}${r.fleetRssDeltaMb.toFixed(0)} MB)`,
  );
  row("silent kicked / expected", (r) => `${r.errors.kicked} / ${r.errors.expected}`);
  row("healthy wrongly kicked", (r) => String(r.healthyKicked));
  row("kicks predicted exactly", (r) => `${r.errors.errorsMs.length} (${r.errors.unpredicted} ambiguous)`);
  row("kick-time error p50", (r) => ms(percentile(r.errors.errorsMs, 50)));
  row("kick-time error p99", (r) => ms(percentile(r.errors.errorsMs, 99)));
  row("kick-time error min / max", (r) =>
    r.errors.errorsMs.length === 0
      ? "–"
      : `${ms(Math.min(...r.errors.errorsMs))} / ${ms(Math.max(...r.errors.errorsMs))}`,
  );
  row("broker-side error p50 / p99", (r) =>
    r.errors.brokerErrorsMs.length === 0
      ? "not observable"
      : `${ms(percentile(r.errors.brokerErrorsMs, 50))} / ${ms(percentile(r.errors.brokerErrorsMs, 99))}`,
  );
  console.log(table.toString());
  console.log(
    "kick-time error = measured close (client side) − predicted kick (mosquittoKickAt, exact per client)",
  );
  const [embedded, mosquitto] = results;
  if (embedded && mosquitto) {
    const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    console.log(
      `targets (issue 17), embedded vs mosquitto in this run: broker RSS ${x(embedded.brokerRssMb, mosquitto.brokerRssMb)} (target <= 3x); ` +
        `connect time ${x(embedded.connectMs, mosquitto.connectMs)} (target <= 1x); ` +
        `kick-time error p99 ${ms(percentile(embedded.errors.errorsMs, 99))} vs ${ms(percentile(mosquitto.errors.errorsMs, 99))} (target <= 20 ms)`,
    );
  }
  console.log(loadLine());
  for (const r of results) {
    const sweeps = r.errors.sweeps.map((s) => `${s.clients} clients, ${ms(s.firstMs)} … ${ms(s.lastMs)}`);
    console.log(`- ${r.name}: ${r.source}`);
    console.log(`  per sweep (clients, error of its first … last close): ${sweeps.join("; ")}`);
  }
}

export default async function run(): Promise<void> {
  console.log(
    `${TOTAL} clients, keepalive ${KEEPALIVE_S} s: ${MIX.map((m) => `${m.share * 100}% ${m.label}`).join(", ")}`,
  );
  const results: Result[] = [];
  const starters: (() => Promise<BrokerUnderTest | undefined>)[] = [startEmbedded, startMosquitto];
  // Ctrl-C mid-run still stops the broker under test and removes its temp dir
  let current: BrokerUnderTest | undefined;
  const onSignal = () => void (current?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    for (const start of starters) {
      current = await start();
      if (!current) {
        console.log("mosquitto not installed: embedded broker only");
        continue;
      }
      try {
        results.push(await measure(current));
      } finally {
        await current.stop();
        current = undefined;
      }
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  report(results);
}
