import type { Clock } from "../core/clock.js";
import { type DialectChoice, FileClassifier } from "./file-classifier.js";
import { followFile } from "./follow.js";
import type { Incident } from "./incident.js";
import { emptySummary, type LogSummary } from "./summary.js";

export interface FollowLogOptions {
  dialect?: DialectChoice;
  signal: AbortSignal;
  onIncident: (incident: Incident) => void;
  clock?: Clock;
  pollMs?: number;
  /** Quiet time after which open incidents are reported as they stand. */
  idleMs?: number;
  /** Skip what the file already holds: report only lines written from now on. */
  fromEnd?: boolean;
}

/**
 * `mqdiag logs --follow`: classifies a growing file (surviving rotation), reporting each incident as it
 * completes, until the signal aborts; resolves with the summary of everything read.
 */
export async function followLog(path: string, options: FollowLogOptions): Promise<LogSummary> {
  const summary = emptySummary();
  const file = new FileClassifier(path, summary, options.dialect ?? "auto", options.onIncident);
  await followFile(path, {
    signal: options.signal,
    clock: options.clock,
    pollMs: options.pollMs,
    idleMs: options.idleMs,
    fromEnd: options.fromEnd,
    onLines: (lines) => file.push(lines),
    onIdle: () => file.flush(),
  });
  file.flush();
  summary.files.push({ path, dialect: file.detectedDialect ?? "unknown", lines: file.lines });
  summary.lines = file.lines;
  return summary;
}
