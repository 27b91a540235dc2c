import { open } from "node:fs/promises";
import { realClock } from "../core/clock.js";
import type { ProfileOptions } from "../core/profile.js";
import { type NanomqSettings, settingsFromLog } from "../logs/nanomq-settings.js";
import { BrokerDetector, detectedProfile } from "./detect-broker.js";
import { embeddedTarget } from "./embedded-target.js";
import { externalTarget, parseBrokerUrl } from "./external-target.js";
import { logSize } from "./log-tail.js";
import { checkReachable } from "./reachability.js";
import { runScenario } from "./runner.js";
import type { TimeScale } from "./time-scale.js";
import type { ScenarioName, ScenarioOptions, ScenarioRun } from "./types.js";

export interface RunScenariosOptions {
  names: ScenarioName[];
  profile: ProfileOptions;
  options: ScenarioOptions;
  timeScale: TimeScale;
  /** An external broker (`--broker`), run at real time; with `logPath` its log is tailed. */
  broker?: { url: string; logPath?: string };
  /**
   * No --profile was given: with an external broker's log, its lines decide the dialect and NanoMQ era (the log's
   * recent past before the run, then every line the run makes), over `profile`'s other options.
   */
  detectProfile?: boolean;
  /**
   * Which of Q and M no option set: with an external NanoMQ's log at `info`, its start-up block gives them
   * (settingsFromLog), read from the file's start and its recent past.
   */
  settingsFromLog?: { retryInterval: boolean; multiplier: boolean };
  onStatus?: (text: string) => void;
}

/** How much of an external log's past is read to tell the broker before the first scenario. */
const DETECT_PAST_BYTES = 256 * 1024;
/** How much of an external log's start is read for NanoMQ's start-up block (it comes first). */
const SETTINGS_HEAD_BYTES = 64 * 1024;
/** Real ms to let the broker write its lines about the reachability check's connection. */
const REACHABILITY_LINES_MS = 200;

/** `mqdiag scenario`: runs the named scenarios one after another, each on its own clock (and embedded broker). */
export async function runScenarios(o: RunScenariosOptions): Promise<ScenarioRun> {
  const external = o.broker !== undefined;
  let base = o.profile;
  let fromLog: NanomqSettings | undefined;
  let target = embeddedTarget(o.profile);
  const detector = o.detectProfile && o.broker?.logPath !== undefined ? new BrokerDetector() : undefined;
  if (o.broker) {
    const endpoint = parseBrokerUrl(o.broker.url);
    const logPath = o.broker.logPath;
    // A bad --broker-log is a usage error (2), said before the broker is tried (3).
    const before = logPath !== undefined ? await logSize(logPath) : 0;
    await checkReachable(endpoint);
    // Its lines (NanoMQ 0.25: `offline!`, `sleep aio error 7`) land before the first scenario's tail starts.
    if (logPath !== undefined) await realClock().sleep(REACHABILITY_LINES_MS);
    const wanted = o.settingsFromLog?.retryInterval || o.settingsFromLog?.multiplier;
    const past =
      logPath !== undefined && (detector || wanted)
        ? await readLines(logPath, Math.max(0, before - DETECT_PAST_BYTES))
        : [];
    if (detector) for (const line of past) detector.add(line);
    if (wanted && logPath !== undefined) {
      // The last block wins: a restart in the recent past comes after the file's first one.
      fromLog = settingsFromLog([...(await readLines(logPath, 0, SETTINGS_HEAD_BYTES)), ...past]);
      if (fromLog)
        base = {
          ...base,
          ...(o.settingsFromLog?.retryInterval ? { retryIntervalMs: fromLog.retryIntervalMs } : {}),
          ...(o.settingsFromLog?.multiplier ? { keepaliveMultiplier: fromLog.keepaliveMultiplier } : {}),
        };
    }
    target = externalTarget(endpoint, logPath, (line) => detector?.add(line));
  }
  const current = () => detectedProfile(base, detector?.result());
  const scenarios = [];
  for (const name of o.names) {
    scenarios.push(
      await runScenario(name, {
        profile: current(),
        // A scenario's own lines may tell the era (NanoMQ 0.21.9 logs nothing at warn for a clean connection).
        expectedProfile: detector ? current : undefined,
        options: o.options,
        timeScale: external ? 1 : o.timeScale,
        target,
        external,
        onStatus: o.onStatus,
      }),
    );
  }
  const detected = detector?.result();
  return {
    target: {
      kind: external ? "external" : "embedded",
      ...(o.broker ? { url: o.broker.url } : {}),
      profile: current(),
      timeScale: external ? 1 : o.timeScale,
      ...(detector ? { profileDetected: detected !== undefined } : {}),
      ...(detected ? { detected } : {}),
      ...(fromLog ? { settingsFromLog: fromLog } : {}),
    },
    scenarios,
  };
}

/**
 * The complete lines of a file from byte `from` (the first, partial line dropped when not at the start), to its end
 * or to `upTo` bytes (the last, partial line dropped).
 */
async function readLines(path: string, from: number, upTo?: number): Promise<string[]> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const length = Math.max(0, Math.min(size, upTo ?? size) - from);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    const lines = buffer.subarray(0, bytesRead).toString("utf8").split("\n");
    if (from > 0) lines.shift();
    if (upTo !== undefined && upTo < size) lines.pop();
    return lines.filter((l) => l.trim() !== "");
  } finally {
    await handle.close();
  }
}
