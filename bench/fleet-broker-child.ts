import { startBroker } from "../src/broker/index.js";
import { keepYoungGenerationSmall } from "../src/broker/process-heap.js";
import { realClock } from "../src/core/clock.js";
import {
  MOSQUITTO_SWEEP_INTERVAL_MS,
  mosquittoSeconds,
  mosquittoSweepPhase,
} from "../src/keepalive/mosquitto-arithmetic.js";
import { monoOffsetMs } from "./mono-time.js";

/**
 * The embedded broker (mosquitto profile) for the fleet bench, in its own process (one process may hold at most
 * 20,000 descriptors). Started by fleet-embedded.ts over an IPC channel; it reports, in its own clock's ms:
 * - the sweep phase: the model starts its sweep when the broker starts, at the next whole second of the clock
 *   (mosquittoSweepPhase); clock.now() just before and just after startBroker bracket that moment, so the phase is
 *   exact when both give the same second (checked against every sweep tick the broker traces);
 * - each client's CONNECT acceptance time (the trace's `connect` at = the model's watch time: its connectAt) and
 *   each kick's broker-side time;
 * - the offset of its clock to CLOCK_MONOTONIC, so the bench can convert between its clock and this one.
 */
keepYoungGenerationSmall(); // as `mqdiag broker` runs it: the broker alone in its process
const clock = realClock();
await clock.sleep(5);
const before = clock.now();
// as `mqdiag broker` runs it, no line kept in memory (and none printed: mosquitto runs with `log_dest none`)
const broker = await startBroker({ port: 0, profile: "mosquitto", clock, keepLogLines: false });
const after = clock.now();
const phaseMs =
  mosquittoSweepPhase(before) === mosquittoSweepPhase(after) ? mosquittoSweepPhase(before) : null;

const connects = new Map<string, [number, number]>();
const kicks = new Map<string, number>();
let ticks = 0;
let offPhaseTicks = 0;
broker.on("trace", (e) => {
  if (e.type === "connect") connects.set(e.clientId, [e.at, e.keepaliveMs]);
  else if (e.type === "kick") kicks.set(e.clientId, e.at);
  else if (e.type === "tick" && phaseMs !== null) {
    ticks += 1;
    if ((mosquittoSeconds(e.at) * 1000 - phaseMs) % MOSQUITTO_SWEEP_INTERVAL_MS !== 0) offPhaseTicks += 1;
  }
});

export interface ChildReady {
  type: "ready";
  port: number;
  phaseMs: number | null;
  offsetMs: number;
}
export interface ChildReport {
  type: "report";
  /** [clientId, accepted at (clock ms), keepaliveMs] */
  connects: [string, number, number][];
  kicks: [string, number][];
  ticks: number;
  offPhaseTicks: number;
  offsetMs: number;
}

process.on("message", async (msg: string) => {
  if (msg === "report") {
    const report: ChildReport = {
      type: "report",
      connects: [...connects].map(([id, [at, keepaliveMs]]) => [id, at, keepaliveMs]),
      kicks: [...kicks],
      ticks,
      offPhaseTicks,
      offsetMs: monoOffsetMs(clock),
    };
    process.send?.(report);
  } else if (msg === "stop") {
    await broker.close();
    process.exit(0);
  }
});
process.on("disconnect", () => process.exit(0));
// stopChild's SIGTERM: exit through process.exit, so that a --cpu-prof (MQDIAG_BENCH_BROKER_NODE_ARGS) is written
process.on("SIGTERM", () => process.exit(0));
const ready: ChildReady = { type: "ready", port: broker.port, phaseMs, offsetMs: monoOffsetMs(clock) };
process.send?.(ready);
