import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { DEFAULT_PROFILE_OPTIONS } from "../src/core/profile.js";
import type { ClientRecord, FleetTarget } from "../src/fleet/types.js";
import { predictKickAt } from "../src/keepalive/predict.js";

/** A broker the fleet bench runs against, in its own process. */
export interface BrokerUnderTest {
  name: string;
  target: FleetTarget;
  pid: number;
  /** After the run: how to predict each silent client's kick (reads what the broker reported, if anything). */
  predictor(benchOffsetMs: number, silent: readonly ClientRecord[]): Promise<KickPredictor>;
  stop(): Promise<void>;
}

export interface KickPredictor {
  /** The predicted kick time of a client silent since its CONNECT, in bench clock ms; null = not exactly known. */
  predict(record: ClientRecord): number | null;
  /** Where the sweep phase and the connect times came from (printed under the table). */
  source: string;
  /** When the broker itself kicked this client, in bench clock ms (only the embedded broker reports it). */
  brokerKickAt?(record: ClientRecord): number | null;
}

/** mosquitto's exact kick time (in the frame of `sweepPhaseMs`) of a client silent since `connectAt`. */
export function mosquittoSilentKickAt(
  keepaliveMs: number,
  connectAt: number,
  sweepPhaseMs: number,
): number | null {
  return predictKickAt(
    { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" },
    { keepaliveMs, connectAt, inboundAt: [], sweepPhaseMs },
  );
}

export function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Linux's USER_HZ: the unit of the CPU times in /proc/<pid>/stat (100 on every Linux this runs on). */
const CLOCK_TICKS_PER_S = 100;

/** CPU time (user + system) the process has used so far, ms (10-ms resolution); NaN if it is gone. */
export function cpuMs(pid: number): number {
  try {
    // fields after the command name (which may hold spaces, so split after its closing parenthesis)
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the child has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(t);
}
