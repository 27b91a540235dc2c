import { fork } from "node:child_process";
import { type BrokerUnderTest, mosquittoSilentKickAt, stopChild } from "./fleet-broker.js";
import type { ChildReady, ChildReport } from "./fleet-broker-child.js";

/**
 * The embedded broker with the mosquitto profile, in a child process (fleet-broker-child.ts). Its prediction is
 * exact per client: the child reports its sweep phase and the clock time at which it accepted each CONNECT (the
 * model's own connectAt), and the offset of its clock to CLOCK_MONOTONIC.
 */
export async function startEmbedded(): Promise<BrokerUnderTest> {
  // e.g. MQDIAG_BENCH_BROKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the broker child alone
  const execArgv = (process.env.MQDIAG_BENCH_BROKER_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  const child = fork(new URL("./fleet-broker-child.js", import.meta.url), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    execArgv,
  });
  const ready = await new Promise<ChildReady>((resolve, reject) => {
    child.once("message", (m) => resolve(m as ChildReady));
    child.once("exit", (code) => reject(new Error(`embedded broker child exited ${code}`)));
  });
  const stop = async () => {
    if (child.connected) child.send("stop");
    await stopChild(child);
  };
  return {
    name: "embedded (mosquitto profile)",
    target: { host: "127.0.0.1", port: ready.port },
    pid: child.pid ?? 0,
    stop,
    async predictor(benchOffsetMs) {
      const report = await new Promise<ChildReport>((resolve) => {
        child.once("message", (m) => resolve(m as ChildReport));
        child.send("report");
      });
      const connects = new Map(report.connects.map(([id, at, keepaliveMs]) => [id, { at, keepaliveMs }]));
      const kicks = new Map(report.kicks);
      const phase = ready.phaseMs;
      // child clock ms + toBench = bench clock ms (both through CLOCK_MONOTONIC)
      const toBench = report.offsetMs - benchOffsetMs;
      const predictChild = (clientId: string): number | null => {
        const c = connects.get(clientId);
        if (phase === null || c === undefined) return null;
        return mosquittoSilentKickAt(c.keepaliveMs, c.at, phase);
      };
      return {
        source:
          phase === null
            ? "sweep phase unknown (startBroker straddled a second): no prediction"
            : `sweep phase from the child (its sweeps start at the whole second after startBroker; ${report.offPhaseTicks}/${report.ticks} traced sweep ticks off that phase); connectAt = the broker's trace of each CONNECT`,
        brokerKickAt(record) {
          const at = kicks.get(record.clientId);
          return at === undefined ? null : at + toBench;
        },
        predict(record) {
          const p = predictChild(record.clientId);
          return p === null ? null : p + toBench;
        },
      };
    },
  };
}
