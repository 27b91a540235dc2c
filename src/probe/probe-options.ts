import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Clock } from "../core/clock.js";
import { parseDuration } from "../core/duration.js";
import { errorMessage, UsageError } from "../core/errors.js";
import { parseTarget } from "../core/target.js";
import { CHECK_IDS, type CheckId } from "./check-ids.js";
import { FAIL_ON, type FailOn } from "./exit-status.js";
import type { MqttVersionChoice, ProbeOptions } from "./types.js";

/** The probe's options as commander hands them over (strings). */
export interface RawProbeOptions {
  mqttVersion?: string;
  username?: string;
  password?: string;
  clientIdPrefix?: string;
  ca?: string;
  insecure?: boolean;
  timeout?: string;
  maxWait?: string;
  keepaliveSamples?: string;
  keepaliveSessions?: string;
  pings?: string;
  checks?: string;
  quick?: boolean;
  deep?: boolean;
  failOn?: string;
  prefix?: string;
  keepalive?: string;
  baseline?: string;
  saveBaseline?: string;
  /** The table report's --details (the evidence of every check); the probe itself ignores it. */
  details?: boolean;
}

/** What `--quick` runs: the CI smoke subset, meant to finish within ~30 s on a spec-like broker. */
export const QUICK_CHECKS: readonly CheckId[] = [
  "connect",
  "ping",
  "keepalive",
  "malformed",
  "retain",
  "takeover",
];

export function parseProbeOptions(
  broker: string,
  raw: RawProbeOptions,
  env: NodeJS.ProcessEnv,
  clock: Clock,
): ProbeOptions & { failOn: FailOn } {
  const target = parseTarget(broker);
  const quick = raw.quick === true;
  if (quick && raw.deep) throw new UsageError("--quick and --deep contradict each other: pick one");
  const checks = raw.checks === undefined ? (quick ? QUICK_CHECKS : CHECK_IDS) : parseChecks(raw.checks);
  if (raw.keepalive !== undefined && !checks.includes("keepalive"))
    throw new UsageError("--keepalive: answered from the keepalive check, which --checks leaves out");
  const timeoutMs = parseDuration(raw.timeout ?? "5s", "--timeout");
  const maxWaitMs = parseDuration(raw.maxWait ?? "60s", "--max-wait");
  if (timeoutMs <= 0) throw new UsageError("--timeout: must be greater than 0");
  if (maxWaitMs <= 0) throw new UsageError("--max-wait: must be greater than 0");
  const failOn = raw.failOn ?? "error";
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on: expected warn or error, got "${failOn}"`);
  }
  const clientIdPrefix = raw.clientIdPrefix ?? "mqdiag-";
  if (/[#+/]/.test(clientIdPrefix) || clientIdPrefix.length > 40) {
    throw new UsageError("--client-id-prefix: at most 40 characters, without / + #");
  }
  const prefix = raw.prefix ?? "mqdiag/probe";
  if (prefix === "" || /[#+]/.test(prefix)) throw new UsageError("--prefix: a topic prefix without + or #");
  return {
    target,
    clock,
    checks,
    mqttVersion: parseVersion(raw.mqttVersion),
    username: raw.username,
    password: raw.password ?? (env.MQDIAG_PASSWORD === "" ? undefined : env.MQDIAG_PASSWORD),
    clientIdPrefix,
    ca: raw.ca === undefined ? undefined : readCa(raw.ca),
    insecure: raw.insecure === true,
    timeoutMs,
    maxWaitMs,
    keepaliveSamples:
      quick && raw.keepaliveSamples === undefined ? [1] : parseSamples(raw.keepaliveSamples ?? "1,2,4"),
    sessionsPerSample:
      quick && raw.keepaliveSessions === undefined
        ? 2
        : count(raw.keepaliveSessions ?? "3", "--keepalive-sessions", 1, 20),
    staggerMs: 6000,
    keepalivePlan: !quick,
    pingCount: count(raw.pings ?? "10", "--pings", 1, 1000),
    ...(raw.keepalive === undefined ? {} : { forKeepalive: count(raw.keepalive, "--keepalive", 0, 65535) }),
    deep: raw.deep === true,
    retainPrefix: prefix.replace(/\/+$/, ""),
    runId: randomBytes(4).toString("hex"),
    failOn: failOn as FailOn,
  };
}

function parseChecks(text: string): CheckId[] {
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError(`--checks: name at least one of ${CHECK_IDS.join(", ")}`);
  for (const name of names) {
    if (!(CHECK_IDS as readonly string[]).includes(name)) {
      throw new UsageError(`--checks: unknown check "${name}" (choose from ${CHECK_IDS.join(", ")})`);
    }
  }
  return CHECK_IDS.filter((id) => names.includes(id));
}

function parseVersion(text: string | undefined): MqttVersionChoice {
  if (text === undefined || text === "auto") return "auto";
  if (text === "5" || text === "5.0") return "5";
  if (text === "3.1.1" || text === "4") return "3.1.1";
  throw new UsageError(`--mqtt-version: expected 3.1.1 or 5, got "${text}"`);
}

function parseSamples(text: string): number[] {
  const values = text.split(",").map((s) => s.trim());
  const out = values.map((v) => Number(v));
  if (values.some((v) => !/^\d+$/.test(v)) || out.some((v) => v < 1 || v > 65535)) {
    throw new UsageError(
      `--keepalive-samples: expected whole seconds from 1 to 65535 like 1,2,4, got "${text}"`,
    );
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

function count(text: string, what: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(`${what}: expected a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function readCa(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`--ca: cannot read ${path}: ${errorMessage(err)}`);
  }
}
