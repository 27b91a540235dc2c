import type { Readable } from "node:stream";
import { errorMessage } from "../core/errors.js";
import { type DialectChoice, FileClassifier } from "./file-classifier.js";
import type { Incident } from "./incident.js";
import { lineBatches } from "./line-batches.js";
import { type OpenedLog, openLog } from "./open-log.js";
import { emptySummary, type LogSummary } from "./summary.js";

export interface ClassifyOptions {
  dialect?: DialectChoice;
  /** Called as each incident completes. */
  onIncident?: (incident: Incident) => void;
  /** Stops reading; what was read so far is summarised. */
  signal?: AbortSignal;
  /** For `-` (default process.stdin). */
  stdin?: Readable;
}

/**
 * Classifies logs (paths, gzip files, `-` for stdin) in a streaming pass with constant memory. Every path is
 * opened before any is read, so a missing file fails at once (UsageError, exit 2). A file that breaks off
 * midway (a truncated gzip) keeps what was read and says so in its `warning`.
 */
export async function classifyLogs(
  paths: readonly string[],
  options: ClassifyOptions = {},
): Promise<LogSummary> {
  const summary = emptySummary();
  const opened: OpenedLog[] = [];
  try {
    for (const path of paths) opened.push(await openLog(path, options.stdin));
    for (const log of opened) {
      const file = new FileClassifier(log.name, summary, options.dialect ?? "auto", options.onIncident);
      let warning: string | undefined;
      try {
        for await (const batch of lineBatches(log.chunks)) {
          file.push(batch);
          if (options.signal?.aborted) break;
        }
      } catch (err) {
        warning = `read stopped after line ${file.lines}: ${errorMessage(err)}`;
      }
      file.flush();
      summary.files.push({
        path: log.name,
        dialect: file.detectedDialect ?? "unknown",
        lines: file.lines,
        warning,
      });
      summary.lines += file.lines;
      if (options.signal?.aborted) break;
    }
  } finally {
    for (const log of opened) await log.close();
  }
  return summary;
}

/** Classifies log text held in memory (tests, `mqdiag explain` on a pasted line). */
export function classifyText(
  text: string,
  options: { dialect?: DialectChoice; path?: string } = {},
): LogSummary {
  const summary = emptySummary();
  const file = new FileClassifier(options.path ?? "-", summary, options.dialect ?? "auto");
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  if (lines.at(-1) === "") lines.pop();
  file.push(lines);
  file.flush();
  summary.files.push({
    path: options.path ?? "-",
    dialect: file.detectedDialect ?? "unknown",
    lines: file.lines,
  });
  summary.lines += file.lines;
  return summary;
}

/** The one dialect of all files, "mixed", or "unknown". */
export function summaryDialect(summary: LogSummary): string {
  const known = new Set(summary.files.map((f) => f.dialect).filter((d) => d !== "unknown"));
  if (known.size === 0) return "unknown";
  return known.size === 1 ? ([...known][0] as string) : "mixed";
}
