import { compileMatcher, type Matcher } from "../signatures/matcher.js";
import type { Dialect } from "../signatures/types.js";
import { IncidentGrouper } from "./grouper.js";
import type { Incident } from "./incident.js";
import { detectDialect, type LinePrefix, parsePrefix, stripAnsi } from "./line-format.js";
import { countIncident, countSignature, countUnparsed, type LogSummary } from "./summary.js";
import { type LogTime, parseNaiveTime } from "./timestamp.js";

const MERGED_PREFIX = /(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) \[(\d+)\]/g;

/** NanoMQ prefixes that start in the middle of a line: the console merged another thread's line into it. */
function mergedPrefixes(line: string, from: number): { index: number; thread: string; time: LogTime }[] {
  const found: { index: number; thread: string; time: LogTime }[] = [];
  MERGED_PREFIX.lastIndex = from;
  for (let m = MERGED_PREFIX.exec(line); m !== null; m = MERGED_PREFIX.exec(line)) {
    found.push({
      index: m.index,
      thread: m[2] as string,
      time: { ms: parseNaiveTime(m[1] as string), zoned: false },
    });
  }
  return found;
}

export type DialectChoice = Dialect | "auto";

const MATCHERS = new Map<string, Matcher>();
function matcherFor(dialects: Dialect[]): Matcher {
  const key = dialects.join(",");
  const m = MATCHERS.get(key) ?? compileMatcher(dialects);
  MATCHERS.set(key, m);
  return m;
}
const ANY_DIALECT: Dialect[] = ["nanomq", "mosquitto", "spec"];

/**
 * Classifies one log's lines as they come (push batches, then end): reads each line's prefix in the file's
 * dialect (auto: the first line in a known format decides), finds catalogue messages anywhere in the line, and
 * feeds them to the incident grouper. A line in no known format is counted as unparsed and still searched.
 */
export class FileClassifier {
  private dialect: Dialect | undefined;
  private matcher: Matcher;
  private readonly grouper: IncidentGrouper;
  private lineNo = 0;
  private lastTime: LogTime | null = null;

  constructor(
    readonly path: string,
    private readonly summary: LogSummary,
    choice: DialectChoice,
    onIncident?: (incident: Incident) => void,
  ) {
    this.dialect = choice === "auto" ? undefined : choice;
    this.matcher = matcherFor(this.dialect ? [this.dialect] : ANY_DIALECT);
    this.grouper = new IncidentGrouper(path, (incident) => {
      countIncident(summary, incident);
      onIncident?.(incident);
    });
  }

  get lines(): number {
    return this.lineNo;
  }

  get detectedDialect(): Dialect | undefined {
    return this.dialect;
  }

  push(lines: readonly string[]): void {
    for (const raw of lines) {
      this.lineNo++;
      if (raw.length === 0) continue;
      const line = stripAnsi(raw);
      let prefix: LinePrefix | undefined;
      if (this.dialect) {
        prefix = parsePrefix(line, this.dialect);
      } else {
        const found = detectDialect(line);
        if (found) {
          this.dialect = found;
          this.matcher = matcherFor([found]);
          prefix = parsePrefix(line, found);
        }
      }
      if (prefix) this.lastTime = prefix.time ?? this.lastTime;
      else countUnparsed(this.summary, this.summary.lines + this.lineNo);
      const matches = this.matcher.match(line, prefix?.bodyStart ?? 0);
      if (matches.length === 0) continue;
      const merged = matches.length > 1 ? mergedPrefixes(line, prefix?.bodyStart ?? 0) : [];
      for (const match of matches) {
        // In a merged console line, a message after another line's prefix belongs to that prefix's thread.
        const inner = merged.filter((p) => p.index < match.index).at(-1);
        const time = inner?.time ?? prefix?.time ?? this.lastTime;
        countSignature(this.summary, match.id, time);
        this.grouper.push({
          match,
          time,
          thread: inner?.thread ?? prefix?.thread ?? null,
          line: this.lineNo,
        });
      }
    }
  }

  /** Emits the incidents still open (end of file, or an idle followed file). */
  flush(): void {
    this.grouper.flush();
  }
}
