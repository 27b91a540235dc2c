import { readFileSync } from "node:fs";

/** A broker's log file so far; "" before the broker has created it. */
export function readLog(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** How waitForLogLine reads and reports a broker's log. */
export interface LogSource {
  /** The log so far. */
  log(): string;
  /** The broker's name in the timeout error. */
  name: string;
  /** More text for the timeout error after the log (e.g. the broker's stderr). */
  extra?: () => string;
}

/**
 * Resolves with the first line matching `pattern` after `fromOffset` chars of the log, polling every 25 ms, or
 * rejects after timeoutMs with the log in the error.
 */
export async function waitForLogLine(
  source: LogSource,
  pattern: RegExp,
  timeoutMs: number,
  fromOffset: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = source.log();
    const line = text
      .slice(fromOffset)
      .split("\n")
      .find((l) => pattern.test(l));
    if (line !== undefined) return line;
    if (Date.now() > deadline) {
      const extra = source.extra ? `\n${source.extra()}` : "";
      throw new Error(`${source.name} log never matched ${pattern}:\n${text}${extra}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A real broker a test helper started on loopback, writing its own log file. */
export interface LoggedBroker {
  port: number;
  host: string;
  url: string;
  logPath: string;
  /** The log so far. */
  log(): string;
  /** Resolves with the first line matching `pattern` after `fromOffset` chars of log(), or rejects after timeoutMs. */
  waitForLog(pattern: RegExp, timeoutMs?: number, fromOffset?: number): Promise<string>;
  stop(): Promise<void>;
}
