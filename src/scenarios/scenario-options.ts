import { parsePositiveNumber } from "../core/duration.js";
import { UsageError } from "../core/errors.js";
import { parseProfileOptions, type RawProfileOptions } from "../core/options.js";
import type { ProfileOptions } from "../core/profile.js";
import { refuseTickFaultOnExternal } from "../core/tick-fault-options.js";
import { MALFORMED_NAMES } from "../fleet/malformed.js";
import { resolveScenarioNames } from "./load-scenario.js";
import { parseNetworkScenarioOptions, type RawNetworkScenarioOptions } from "./network-options.js";
import { parseSessionScenarioOptions, type RawSessionScenarioOptions } from "./session-options.js";
import type { ScenarioName, ScenarioOptions } from "./types.js";

/** Raw option strings as commander hands them over. */
export interface RawScenarioOptions
  extends RawProfileOptions,
    RawNetworkScenarioOptions,
    RawSessionScenarioOptions {
  keepalive?: string;
  pingAt?: string;
  malformed?: string;
  clients?: string;
  timeScale?: string;
  broker?: string;
  brokerLog?: string;
}

export interface ParsedScenarioCommand {
  names: ScenarioName[];
  profile: ProfileOptions;
  options: ScenarioOptions;
  timeScale: number | "auto";
  broker?: { url: string; logPath?: string };
}

/** Clients per scenario at most: each holds a socket and timers; the bench goes further on its own. */
export const MAX_CLIENTS = 1000;

function wholeNumber(text: string, what: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max)
    throw new UsageError(`${what}: expected a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

/** Validates `mqdiag scenario`'s arguments and options; every problem is a UsageError (exit 2). */
export function parseScenarioCommand(
  names: readonly string[],
  raw: RawScenarioOptions,
): ParsedScenarioCommand {
  const resolved = resolveScenarioNames(names);
  const profile = parseProfileOptions(raw);
  const keepaliveS = raw.keepalive === undefined ? 10 : wholeNumber(raw.keepalive, "--keepalive", 1, 65535);
  let pingAt: number | null | undefined;
  if (raw.pingAt !== undefined)
    pingAt = raw.pingAt === "never" ? null : parsePositiveNumber(raw.pingAt, "--ping-at");
  const malformed = raw.malformed ?? "remaining-length-overflow";
  if (malformed !== "all" && !MALFORMED_NAMES.includes(malformed))
    throw new UsageError(
      `--malformed: unknown variant "${malformed}" (choose ${MALFORMED_NAMES.join(", ")} or all)`,
    );
  const clients = raw.clients === undefined ? 1 : wholeNumber(raw.clients, "--clients", 1, MAX_CLIENTS);
  let timeScale: number | "auto" = "auto";
  if (raw.timeScale !== undefined && raw.timeScale !== "auto")
    timeScale = parsePositiveNumber(raw.timeScale, "--time-scale");
  if (raw.brokerLog !== undefined && raw.broker === undefined)
    throw new UsageError("--broker-log: needs --broker (the embedded broker's log is always observed)");
  if (raw.broker !== undefined) {
    refuseTickFaultOnExternal(raw);
    if (raw.timeScale !== undefined && timeScale !== 1)
      throw new UsageError(`--time-scale: an external broker runs at real time (1), got "${raw.timeScale}"`);
    timeScale = 1;
  }
  return {
    names: resolved,
    profile,
    options: {
      keepaliveS,
      pingAt,
      malformed,
      clients,
      network: parseNetworkScenarioOptions(raw),
      session: parseSessionScenarioOptions(raw),
    },
    timeScale,
    ...(raw.broker !== undefined ? { broker: { url: raw.broker, logPath: raw.brokerLog } } : {}),
  };
}
