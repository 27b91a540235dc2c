import { parseDuration } from "../core/duration.js";
import { UsageError } from "../core/errors.js";
import type { ScenarioOptionSet } from "./types.js";

declare module "./types.js" {
  interface ScenarioOptions {
    /** session-resume's options; undefined = DEFAULT_SESSION_OPTIONS. */
    session?: SessionScenarioOptions;
  }
}

/**
 * `mqdiag scenario`'s session and reconnect options (issue 10), raw as commander hands them over:
 *   --lose <kick|reset|stall>  session-resume: how the subscriber loses its connection (default kick)
 *   --messages <n>             session-resume: messages published while it is away, per QoS (default 10)
 *   --resume-wait <d>          session-resume: how long deliveries are counted after the resume (default 4s)
 *   --qos <list>               session-resume: the QoS levels to run, e.g. 1,2 (default 0,1,2)
 * reconnect-storm takes --clients and the network options' --reconnect / --reconnect-delay / --reconnect-max /
 * --reconnect-jitter (src/scenarios/network-options.ts).
 */
export interface RawSessionScenarioOptions {
  lose?: string;
  messages?: string;
  resumeWait?: string;
  qos?: string;
}

export const LOSE_MODES = ["kick", "reset", "stall"] as const;
export type LoseMode = (typeof LOSE_MODES)[number];
export type Qos = 0 | 1 | 2;

/** The session and reconnect options, parsed. */
export interface SessionScenarioOptions {
  lose: LoseMode;
  messages: number;
  resumeWaitMs: number;
  qos: Qos[];
}

export const DEFAULT_SESSION_OPTIONS: SessionScenarioOptions = {
  lose: "kick",
  messages: 10,
  resumeWaitMs: 4000,
  qos: [0, 1, 2],
};

/** Messages per QoS at most (each is published and acknowledged one after another). */
export const MAX_MESSAGES = 1000;

/** Validates the session and reconnect options; every problem is a UsageError. */
export function parseSessionScenarioOptions(raw: RawSessionScenarioOptions): SessionScenarioOptions {
  const lose = raw.lose ?? "kick";
  if (!(LOSE_MODES as readonly string[]).includes(lose))
    throw new UsageError(`--lose: expected ${LOSE_MODES.join(", ")}, got "${lose}"`);
  let messages = DEFAULT_SESSION_OPTIONS.messages;
  if (raw.messages !== undefined) {
    messages = Number(raw.messages);
    if (!/^\d+$/.test(raw.messages.trim()) || messages < 1 || messages > MAX_MESSAGES)
      throw new UsageError(
        `--messages: expected a whole number from 1 to ${MAX_MESSAGES}, got "${raw.messages}"`,
      );
  }
  let resumeWaitMs = DEFAULT_SESSION_OPTIONS.resumeWaitMs;
  if (raw.resumeWait !== undefined) {
    resumeWaitMs = parseDuration(raw.resumeWait, "--resume-wait");
    if (!(resumeWaitMs > 0))
      throw new UsageError(`--resume-wait: must be greater than 0, got "${raw.resumeWait}"`);
  }
  let qos = DEFAULT_SESSION_OPTIONS.qos;
  if (raw.qos !== undefined) {
    const parts = raw.qos.split(",").map((s) => s.trim());
    if (parts.some((p) => !["0", "1", "2"].includes(p)))
      throw new UsageError(`--qos: expected QoS levels 0, 1 and 2 separated by commas, got "${raw.qos}"`);
    qos = [...new Set(parts.map(Number) as Qos[])].sort();
  }
  return { lose: lose as LoseMode, messages, resumeWaitMs, qos };
}

/** session-resume's --lose, --messages, --resume-wait and --qos. */
export const sessionResumeOptions: ScenarioOptionSet = {
  specs: [
    {
      flags: "--lose <kick|reset|stall>",
      description: "how the subscriber loses its connection (default kick)",
    },
    { flags: "--messages <n>", description: "messages published per QoS while it is away (default 10)" },
    {
      flags: "--resume-wait <d>",
      description: "how long deliveries are counted after it is back (default 4s)",
    },
    { flags: "--qos <list>", description: "QoS levels to run, e.g. 1,2 (default 0,1,2)" },
  ],
  parse: (raw) => ({
    session: parseSessionScenarioOptions({
      lose: raw("lose"),
      messages: raw("messages"),
      resumeWait: raw("resumeWait"),
      qos: raw("qos"),
    }),
  }),
};
