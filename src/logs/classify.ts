import type { Readable } from "node:stream";
import { errorMessage } from "../core/errors.js";
import { type DialectChoice, FileClassifier } from "./file-classifier.js";
import type { Incident } from "./incident.js";
import { lineBatches } from "./line-batches.js";
import { detectDialect, parsePrefix, stripAnsi } from "./line-format.js";
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
 * midway (a truncated gzip) keeps what was read and says so in its `warning`. Files are read in the order of
 * their content's first timestamp (`nanomq.log*`: NanoMQ's rotation suffixes cycle, so their order is not time
 * order), as one log: an incident cut by a rotation stays one incident.
 */
export async function classifyLogs(
  paths: readonly string[],
  options: ClassifyOptions = {},
): Promise<LogSummary> {
  const summary = emptySummary();
  const opened: OpenedLog[] = [];
  try {
    for (const path of paths) opened.push(await openLog(path, options.stdin));
    await closeAll(opened.splice(0));
    const ordered = await inTimeOrder(paths, options.dialect ?? "auto");
    for (const path of ordered) opened.push(await openLog(path, options.stdin));
    let file: FileClassifier | undefined;
    for (const log of opened) {
      if (file) file.nextFile(log.name);
      else file = new FileClassifier(log.name, summary, options.dialect ?? "auto", options.onIncident);
      let warning: string | undefined;
      try {
        for await (const batch of lineBatches(log.chunks)) {
          file.push(batch);
          if (options.signal?.aborted) break;
        }
      } catch (err) {
        warning = `read stopped after line ${file.lines}: ${errorMessage(err)}`;
      }
      summary.files.push({
        path: log.name,
        dialect: file.detectedDialect ?? "unknown",
        lines: file.lines,
        warning,
      });
      summary.lines += file.lines;
      if (options.signal?.aborted) break;
    }
    file?.flush();
  } finally {
    await closeAll(opened);
  }
  return summary;
}

async function closeAll(logs: readonly OpenedLog[]): Promise<void> {
  for (const log of logs) await log.close();
}

/** How far into a file its first timestamp is looked for. */
const PEEK_LINES = 200;

/** The log time of the first line of `path` in a known format (null: none near the start, or stdin). */
export async function firstLogTime(path: string, dialect: DialectChoice = "auto"): Promise<number | null> {
  if (path === "-") return null;
  const log = await openLog(path);
  try {
    let seen = 0;
    for await (const batch of lineBatches(log.chunks)) {
      for (const line of batch) {
        const prefix = dialect === "auto" ? detectAndParse(line) : parsePrefix(stripAnsi(line), dialect);
        if (prefix?.time) return prefix.time.ms;
        if (++seen >= PEEK_LINES) return null;
      }
    }
    return null;
  } catch {
    return null; // unreadable content: the real pass reports it
  } finally {
    await log.close();
  }
}

function detectAndParse(raw: string) {
  const line = stripAnsi(raw);
  const d = detectDialect(line);
  return d ? parsePrefix(line, d) : undefined;
}

/**
 * The files in the order of their content: by first timestamp, oldest first; files without one (stdin, no known
 * format) keep their given order, after the others. A stable sort, so equal times keep the command line's order.
 */
export async function inTimeOrder(paths: readonly string[], dialect: DialectChoice): Promise<string[]> {
  if (paths.length < 2) return [...paths];
  const timed = await Promise.all(
    paths.map(async (path) => ({ path, ms: await firstLogTime(path, dialect) })),
  );
  const known = timed.filter((t) => t.ms !== null).sort((a, b) => (a.ms as number) - (b.ms as number));
  return [...known, ...timed.filter((t) => t.ms === null)].map((t) => t.path);
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
