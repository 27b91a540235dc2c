import { parsePositiveNumber } from "../core/duration.js";
import { UsageError } from "../core/errors.js";
import { parseProfileOptions, type RawProfileOptions } from "../core/options.js";
import type { ProfileOptions } from "../core/profile.js";
import { refuseTickFaultOnExternal } from "../core/tick-fault-options.js";
import type { RawLinkOptions } from "../link/link-options.js";
import { resolveScenarioNames } from "./load-scenario.js";
import { parseUserLink } from "./network-options.js";
import type { TimeScale } from "./time-scale.js";
import type { ScenarioDefinition, ScenarioName, ScenarioOptionSet, ScenarioOptions } from "./types.js";

/**
 * Raw option values as commander hands them over: the common options by name, and the scenarios' own options
 * (their ScenarioOptionSet reads them by name).
 */
export interface RawScenarioOptions extends RawProfileOptions, RawLinkOptions {
  keepalive?: string;
  clients?: string;
  timeScale?: string;
  broker?: string;
  brokerLog?: string;
  /** --details: the table prints every scenario's checks and timeline. */
  details?: boolean;
  readonly [option: string]: unknown;
}

export interface ParsedScenarioCommand {
  names: ScenarioName[];
  profile: ProfileOptions;
  options: ScenarioOptions;
  timeScale: TimeScale;
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

/** The option sets of these scenarios, each once (several scenarios may share one), in their order. */
export function optionSetsOf(definitions: readonly ScenarioDefinition<unknown>[]): ScenarioOptionSet[] {
  const sets: ScenarioOptionSet[] = [];
  for (const d of definitions) if (d.options && !sets.includes(d.options)) sets.push(d.options);
  return sets;
}

/**
 * Validates `mqdiag scenario`'s arguments and options; every problem is a UsageError (exit 2). `definitions` are
 * the scenarios whose own options are read (the CLI passes every scenario's, so that any of them is checked).
 */
export function parseScenarioCommand(
  names: readonly string[],
  raw: RawScenarioOptions,
  definitions: readonly ScenarioDefinition<unknown>[],
): ParsedScenarioCommand {
  const resolved = resolveScenarioNames(names);
  const profile = parseProfileOptions(raw);
  const keepaliveS = raw.keepalive === undefined ? 10 : wholeNumber(raw.keepalive, "--keepalive", 1, 65535);
  const clients = raw.clients === undefined ? 1 : wholeNumber(raw.clients, "--clients", 1, MAX_CLIENTS);
  let timeScale: TimeScale = "auto";
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
  const link = parseUserLink(raw);
  const common: ScenarioOptions = { keepaliveS, clients, network: link ? { link } : {} };
  const text = (name: string) => {
    const value = raw[name];
    return typeof value === "string" ? value : undefined;
  };
  let options = common;
  for (const set of optionSetsOf(definitions)) options = { ...options, ...set.parse(text, options) };
  return {
    names: resolved,
    profile,
    options,
    timeScale,
    ...(raw.broker !== undefined ? { broker: { url: raw.broker, logPath: raw.brokerLog } } : {}),
  };
}
