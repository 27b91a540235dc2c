import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { kickDelayAfterLastPacket } from "../src/broker/keepalive/predict.js";
import { realClock } from "../src/core/clock.js";
import { DEFAULT_PROFILE_OPTIONS } from "../src/core/profile.js";
import type { BehaviourSpec } from "../src/fleet/behaviour-spec.js";
import { type Fleet, startFleet } from "../src/fleet/fleet.js";
import type { ClientRecord, FleetTarget } from "../src/fleet/types.js";

/**
 * `npm run bench -- fleet`: 10,000 clients of mixed behaviours against the embedded broker (mosquitto profile, in
 * its own process: one process may hold at most 20,000 descriptors) and against the real mosquitto, in the same
 * run, at real time. Reports connect time, memory (fleet and broker RSS) and the kick-time error: the measured
 * delay after the last packet minus the model's window ((⌊1.5k⌋, ⌊1.5k⌋+6] s; 0 inside it).
 */
const TOTAL = Number(process.env.MQDIAG_BENCH_CLIENTS ?? 10_000);
const KEEPALIVE_S = 2;
const MIX: { share: number; spec: BehaviourSpec }[] = [
  { share: 0.4, spec: { behaviour: "healthy" } },
  { share: 0.4, spec: { behaviour: "late-ping", intervalMs: null, pingOnTime: false } },
  { share: 0.1, spec: { behaviour: "rst", afterMs: 1000 } },
  { share: 0.1, spec: { behaviour: "clean", afterMs: 1000 } },
];

interface BrokerUnderTest {
  name: string;
  target: FleetTarget;
  pid: number;
  stop(): Promise<void>;
}

function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function waitLine(child: ChildProcess, re: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buf = "";
    child.stdout?.on("data", (d: Buffer) => {
      buf += d.toString();
      const m = re.exec(buf);
      if (m) resolve(m);
    });
    child.once("exit", (code) => reject(new Error(`child exited ${code}: ${buf}`)));
  });
}

async function embeddedBroker(): Promise<BrokerUnderTest> {
  const brokerUrl = new URL("../src/broker/index.js", import.meta.url).href;
  const code = `const { startBroker } = await import(${JSON.stringify(brokerUrl)});
const b = await startBroker({ port: 0, profile: "mosquitto" });
console.log("PORT " + b.port);
process.on("SIGTERM", async () => { await b.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const m = await waitLine(child, /PORT (\d+)/);
  return {
    name: "embedded (mosquitto profile)",
    target: { host: "127.0.0.1", port: Number(m[1]) },
    pid: child.pid ?? 0,
    stop: () => stopChild(child),
  };
}

async function realMosquitto(): Promise<BrokerUnderTest | undefined> {
  const bin = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"].find((p) => {
    try {
      readFileSync(p);
      return true;
    } catch {
      return false;
    }
  });
  if (!bin) return undefined;
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "mqdiag-bench-mosquitto-"));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  writeFileSync(
    join(dir, "m.conf"),
    `user root\nallow_anonymous true\npersistence false\nlog_dest none\nlistener ${port} 127.0.0.1\n`,
  );
  const child = spawn(bin, ["-c", join(dir, "m.conf")], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      import("node:net").then(({ default: net }) => {
        const s = net.connect(port, "127.0.0.1");
        s.once("connect", () => {
          s.destroy();
          resolve(true);
        });
        s.once("error", () => resolve(false));
      });
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    name: "real mosquitto 2.0",
    target: { host: "127.0.0.1", port },
    pid: child.pid ?? 0,
    stop: async () => {
      await stopChild(child);
      const { rmSync } = await import("node:fs");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(t);
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function measure(broker: BrokerUnderTest) {
  const clock = realClock();
  const fleets: Fleet[] = [];
  const rssBefore = process.memoryUsage().rss;
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
          concurrency: 200,
        }),
      );
    }
    const connectMs = performance.now() - started;
    const fleetRssMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    const brokerRssMb = rssMb(broker.pid);
    const late = () => fleets[1]?.records() ?? [];
    const window = kickDelayAfterLastPacket(
      { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" },
      KEEPALIVE_S * 1000,
    );
    const deadline = performance.now() + (window?.maxMs ?? 10_000) + 15_000;
    while (late().some((r) => r.closedAt === null) && performance.now() < deadline) await clock.sleep(200);
    const kicked = late().filter((r: ClientRecord) => r.closedBy === "broker" && r.closedAt !== null);
    const delays = kicked.map((r) => ((r.closedAt ?? 0) - (r.lastSentAt ?? r.connectedAt ?? 0)) / 1000);
    const lo = (window?.minMs ?? 0) / 1000;
    const hi = (window?.maxMs ?? 0) / 1000;
    const errors = delays.map((d) => (d < lo ? d - lo : d > hi ? d - hi : 0));
    const healthyKicked = (fleets[0]?.records() ?? []).filter((r) => r.closedBy === "broker").length;
    return {
      connectMs,
      fleetRssMb,
      brokerRssMb,
      kicked: kicked.length,
      late: late().length,
      delays,
      errors,
      healthyKicked,
      lo,
      hi,
    };
  } finally {
    await Promise.all(fleets.map((f) => f.stop()));
  }
}

export default async function run(): Promise<void> {
  const brokers: BrokerUnderTest[] = [await embeddedBroker()];
  const mosq = await realMosquitto();
  if (mosq) brokers.push(mosq);
  else console.log("mosquitto not installed: embedded broker only");
  console.log(
    `${TOTAL} clients: 40% healthy (MQTT.js), 40% silent after CONNECT (keepalive ${KEEPALIVE_S} s), 10% RST, 10% clean`,
  );
  for (const b of brokers) {
    try {
      const r = await measure(b);
      console.log(`\n${b.name}`);
      console.log(
        `  connect all: ${(r.connectMs / 1000).toFixed(2)} s (${Math.round(TOTAL / (r.connectMs / 1000))} conn/s)`,
      );
      console.log(
        `  memory: fleet +${r.fleetRssMb.toFixed(0)} MB RSS, broker ${r.brokerRssMb.toFixed(0)} MB RSS`,
      );
      console.log(`  kicked ${r.kicked}/${r.late} silent clients; healthy kicked: ${r.healthyKicked}`);
      console.log(
        `  kick delay after last packet p50 ${pct(r.delays, 50).toFixed(3)} s, p99 ${pct(r.delays, 99).toFixed(3)} s (model (${r.lo}, ${r.hi}] s)`,
      );
      console.log(
        `  kick-time error (outside the model window) p50 ${pct(r.errors, 50).toFixed(3)} s, p99 ${pct(r.errors, 99).toFixed(3)} s`,
      );
    } finally {
      await b.stop();
    }
  }
}
