import { type FileHandle, open, stat } from "node:fs/promises";
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
 * their content (inTimeOrder: `nanomq.log*` — NanoMQ's rotation suffixes cycle, so their order is not time order),
 * as one log: an incident cut by a rotation stays one incident.
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
        for await (const chunk of log.chunks) {
          file.pushBytes(chunk);
          if (options.signal?.aborted) break;
        }
        if (options.signal?.aborted) file.dropPartialLine();
        else file.endBytes();
      } catch (err) {
        file.dropPartialLine();
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
/** How much of a plain file's end is read for its last timestamp. */
const TAIL_BYTES = 64 * 1024;

/** The log time of the first line of `path` in a known format (null: none near the start, or stdin). */
export async function firstLogTime(path: string, dialect: DialectChoice = "auto"): Promise<number | null> {
  if (path === "-") return null;
  const log = await openLog(path);
  try {
    let seen = 0;
    for await (const batch of lineBatches(log.chunks)) {
      for (const line of batch) {
        const ms = lineTime(line, dialect);
        if (ms !== null) return ms;
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

/** The log time of the last timestamped line near the end of a plain file (null for gzip, stdin or none). */
async function lastLogTime(path: string, dialect: DialectChoice): Promise<number | null> {
  if (path === "-") return null;
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "r");
    const { size } = await handle.stat();
    const magic = Buffer.alloc(2);
    await handle.read(magic, 0, 2, 0);
    if (magic[0] === 0x1f && magic[1] === 0x8b) return null; // gzip: its first time decides
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const lines = buffer.toString("utf8").split("\n");
    for (let i = lines.length - 1; i >= (start === 0 ? 0 : 1); i--) {
      const ms = lineTime(lines[i] as string, dialect);
      if (ms !== null) return ms;
    }
    return null;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

function lineTime(raw: string, dialect: DialectChoice): number | null {
  const line = stripAnsi(raw);
  const d = dialect === "auto" ? detectDialect(line) : dialect;
  return (d ? parsePrefix(line, d)?.time?.ms : undefined) ?? null;
}

interface FileTimes {
  path: string;
  first: number | null;
  last: number | null;
  mtime: number;
}

/**
 * The files in the order of their content: by first timestamp, oldest first, then (logs rotate many times a second,
 * timestamps have whole seconds) by last timestamp, then by modification time. Files without a timestamp (no known
 * format) keep their given order, after the others. With stdin or a pipe among them, the order given stands.
 */
export async function inTimeOrder(paths: readonly string[], dialect: DialectChoice): Promise<string[]> {
  if (paths.length < 2) return [...paths];
  // Stdin, a pipe (`<(zcat nanomq.log.1.gz)`), a device: peeking would eat what the real pass must read, and
  // their place cannot be known, so the order given stands.
  const regular = await Promise.all(
    paths.map(async (p) => p !== "-" && ((await stat(p).catch(() => undefined))?.isFile() ?? false)),
  );
  if (regular.some((r) => !r)) return [...paths];
  const timed: FileTimes[] = await Promise.all(
    paths.map(async (path) => ({
      path,
      first: await firstLogTime(path, dialect),
      last: await lastLogTime(path, dialect),
      mtime: path === "-" ? 0 : ((await stat(path).catch(() => undefined))?.mtimeMs ?? 0),
    })),
  );
  const known = timed
    .filter((t) => t.first !== null)
    .sort(
      (a, b) =>
        (a.first as number) - (b.first as number) ||
        (a.last ?? a.first ?? 0) - (b.last ?? b.first ?? 0) ||
        a.mtime - b.mtime,
    );
  return [...known, ...timed.filter((t) => t.first === null)].map((t) => t.path);
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
