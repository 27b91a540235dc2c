import { matchKnownLine } from "../signatures/known-lines.js";
import { compileMatcher, type Matcher, type SignatureMatch } from "../signatures/matcher.js";
import { isNegoRv, negoSignature } from "../signatures/rv.js";
import type { Dialect } from "../signatures/types.js";
import { ByteLines, type ByteSink } from "./byte-lines.js";
import { ConnectLog } from "./connect-log.js";
import { IncidentGrouper } from "./grouper.js";
import type { Incident } from "./incident.js";
import { checkKick } from "./kick-window.js";
import { DETECTABLE, detectDialect, parsePrefix, stripAnsi } from "./line-format.js";
import type { LinePrefix } from "./line-prefix.js";
import { SettingsReader } from "./nanomq-settings.js";
import { PIPE_CLOSE_ANCHOR, parsePipeClose } from "./pipe-close.js";
import { RabbitmqClients } from "./rabbitmq-clients.js";
import {
  countIncident,
  countKnownLine,
  countPipeClose,
  countSignature,
  countUnparsed,
  type LogSummary,
} from "./summary.js";
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

/** A NanoMQ console prefix's message part: file:line, maybe the function, then text. Empty = lost to a merge. */
function hasMessage(body: string): boolean {
  return /:\s*\S/.test(body.replace(/^\S+:\d+:?\s*(\w+:)?/, ":"));
}

/** `connect nego error rv…` reads the same for every nego failure: its rv says which signature it is. */
function refine(match: SignatureMatch): SignatureMatch {
  if (!isNegoRv(match)) return match;
  const id = negoSignature(Number(match.args.rv));
  return id === match.id ? match : { ...match, id };
}

const MATCHERS = new Map<string, Matcher>();
function matcherFor(dialects: Dialect[]): Matcher {
  const key = dialects.join(",");
  const m = MATCHERS.get(key) ?? compileMatcher(dialects);
  MATCHERS.set(key, m);
  return m;
}
const ANY_DIALECT: Dialect[] = [...DETECTABLE];

/** A merged console line whose outer prefix had no message before the inner one: its message is on the next line. */
interface Orphan {
  thread: string;
  time: LogTime | null;
}

/**
 * Classifies one log's lines as they come (push batches, then end): reads each line's prefix in the file's
 * dialect (auto: the first line in a known format decides), finds catalogue messages anywhere in the line, and
 * feeds them to the incident grouper. A line in no known format is counted as unparsed and still searched.
 * `nextFile` carries on with the next file of the same log (a rotated series read in time order): incidents that
 * straddle the rotation stay whole.
 */
export class FileClassifier {
  private dialect: Dialect | undefined;
  private matcher: Matcher;
  private readonly grouper: IncidentGrouper;
  private lineNo = 0;
  private lastTime: LogTime | null = null;
  private orphan: Orphan | undefined;
  private previousDialect: Dialect | undefined;
  private bytes: ByteLines | undefined;
  /** NanoMQ's start-up settings block (`info`): Q and M for checking kicks. */
  private readonly settings = new SettingsReader();
  /** When each client connected (`<id> online!`), remembered once the settings are known (nothing to check before). */
  private readonly connects = new ConnectLog();
  /** RabbitMQ: each connection process' client id, for its lines that name only the connection. */
  private readonly rabbitmqClients = new RabbitmqClients();

  constructor(
    public path: string,
    private readonly summary: LogSummary,
    private readonly choice: DialectChoice,
    onIncident?: (incident: Incident) => void,
  ) {
    this.dialect = choice === "auto" ? undefined : choice;
    this.matcher = matcherFor(this.dialect ? [this.dialect] : ANY_DIALECT);
    this.grouper = new IncidentGrouper(
      path,
      (incident) => {
        countIncident(summary, incident);
        onIncident?.(incident);
      },
      (clientId, connect, kickedAt) =>
        this.settings.settings ? checkKick(this.settings.settings, clientId, connect, kickedAt) : undefined,
    );
  }

  get lines(): number {
    return this.lineNo;
  }

  get detectedDialect(): Dialect | undefined {
    return this.dialect;
  }

  /**
   * Goes on with the next file: line numbers and the dialect start afresh (auto: per file), open incidents stay
   * open (the grouper closes them when log time jumps back or moves on past its window).
   */
  nextFile(path: string): void {
    this.previousDialect = this.dialect;
    this.path = path;
    this.lineNo = 0;
    this.orphan = undefined;
    this.bytes?.reset();
    this.dialect = this.choice === "auto" ? undefined : this.choice;
    this.matcher = matcherFor(this.dialect ? [this.dialect] : ANY_DIALECT);
    this.grouper.setFile(path);
  }

  push(lines: readonly string[]): void {
    for (const raw of lines) {
      this.lineNo++;
      this.classify(raw);
    }
  }

  /**
   * The log's bytes as read (any chunking): the fast path (byte-lines.ts) reads most NanoMQ lines from their bytes
   * and hands the rest, decoded, to the same per-line classification as push(). endBytes() after the last chunk.
   */
  pushBytes(chunk: Buffer): void {
    this.bytes ??= new ByteLines(this.byteSink());
    this.bytes.push(chunk);
  }

  /** The last line of the bytes, if it had no newline. */
  endBytes(): void {
    this.bytes?.end();
  }

  /** The bytes broke off: a partial last line is dropped. */
  dropPartialLine(): void {
    this.bytes?.reset();
  }

  private byteSink(): ByteSink {
    const self = this;
    return {
      get fastDialect() {
        return self.dialect === "nanomq";
      },
      get wantsClientIds() {
        return self.settings.settings !== undefined;
      },
      line: (text, anchors) => {
        this.lineNo++;
        this.classify(text, anchors);
      },
      replay: (text, anchors) => this.classify(text, anchors),
      skip: (count) => {
        this.lineNo += count;
      },
      // What classify() does with a prefixed line without anchors nor `[`, and one without prefix nor anchors.
      boring: (time) => {
        this.orphan = undefined;
        this.lastTime = time;
      },
      unparsed: () => {
        this.lineNo++;
        const orphan = this.orphan;
        this.orphan = undefined;
        if (!orphan) countUnparsed(this.summary, this.summary.lines + this.lineNo);
      },
      signature: (raw, time, thread) => {
        this.lineNo++;
        this.orphan = undefined;
        this.lastTime = time;
        const match = refine(raw);
        countSignature(this.summary, match.id, time);
        this.online(match, time);
        this.grouper.push({ match, time, thread, line: this.lineNo });
      },
      known: (id, time) => {
        this.lineNo++;
        this.orphan = undefined;
        this.lastTime = time;
        countKnownLine(this.summary, id, time);
      },
    };
  }

  /** One line (line number already counted); `anchors`: all the catalogue anchors it holds, when known. */
  private classify(raw: string, anchors?: readonly string[]): void {
    // NanoMQ ends some messages with a newline of their own: the blank line after them is no line of the log.
    if (raw.length === 0 || (raw.charCodeAt(0) <= 32 && raw.trim().length === 0)) return;
    const line = stripAnsi(raw);
    let prefix: LinePrefix | undefined;
    if (this.dialect) {
      prefix = parsePrefix(line, this.dialect);
    } else {
      const found = detectDialect(line);
      if (found) {
        // A file of another broker: nothing open in the previous file can continue in it.
        if (this.previousDialect !== undefined && found !== this.previousDialect) this.grouper.flush();
        this.dialect = found;
        this.matcher = matcherFor([found]);
        prefix = parsePrefix(line, found);
      }
    }
    // The rest of a merged console line: the message its outer prefix lost to another thread's line.
    const orphan = prefix ? undefined : this.orphan;
    this.orphan = undefined;
    if (prefix) this.lastTime = prefix.time ?? this.lastTime;
    else if (!orphan) countUnparsed(this.summary, this.summary.lines + this.lineNo);
    const bodyStart = prefix?.bodyStart ?? 0;
    const matches = this.matcher.match(line, bodyStart, anchors);
    // Another line's prefix inside this one (` [tid] `): only then is the costlier scan worth it.
    const merged =
      this.dialect === "nanomq" && line.includes(" [", bodyStart) ? mergedPrefixes(line, bodyStart) : [];
    if (prefix && merged.length > 0 && !hasMessage(line.slice(bodyStart, merged[0]?.index))) {
      this.orphan = { thread: prefix.thread ?? "", time: prefix.time };
    }
    if (matches.length === 0) {
      // Every known line is a WARN: the others (INFO/DEBUG noise, most of a verbose log) are not searched.
      if (prefix?.level === "WARN") this.countKnown(line, bodyStart, prefix.time ?? this.lastTime);
      else if (prefix && this.dialect === "nanomq") this.nanomqInfo(line, bodyStart, prefix);
      return;
    }
    for (const raw of matches) {
      const match = refine(raw);
      if (this.dialect === "rabbitmq") this.rabbitmqClients.name(match, prefix?.thread ?? null);
      // In a merged console line, a message after another line's prefix belongs to that prefix's thread.
      const inner = merged.filter((p) => p.index < match.index).at(-1);
      const time = inner?.time ?? orphan?.time ?? prefix?.time ?? this.lastTime;
      countSignature(this.summary, match.id, time);
      this.online(match, time);
      this.grouper.push({
        match,
        time,
        thread: inner?.thread ?? orphan?.thread ?? prefix?.thread ?? null,
        line: this.lineNo,
      });
    }
  }

  /** A NanoMQ `<id> online!` line: when that client connected (kept only when kicks can be checked). */
  private online(match: SignatureMatch, time: LogTime | null): void {
    if (match.id !== "client-connected" || match.dialect !== "nanomq" || !this.settings.settings) return;
    const clientId = match.args.clientId;
    if (clientId !== undefined) this.connects.online(clientId, time);
  }

  /** A NanoMQ INFO/DEBUG line: a `pipe close!` line, a line of the start-up settings, a debug connect payload. */
  private nanomqInfo(line: string, from: number, prefix: LinePrefix): void {
    const time = prefix.time ?? this.lastTime;
    if (line.includes(PIPE_CLOSE_ANCHOR, from)) {
      const close = parsePipeClose(line);
      if (!close) return;
      const named = this.grouper.pushClose({
        close,
        time,
        thread: prefix.thread,
        line: this.lineNo,
        connect: this.connects.get(close.clientId),
      });
      countPipeClose(this.summary, close.reasonCode, named);
      return;
    }
    if (prefix.level === "DEBUG" && this.settings.settings && this.connects.payload(line, time)) return;
    if (this.settings.push(line.slice(from), this.lineNo) && this.settings.line === this.lineNo) {
      this.summary.settings = {
        ...(this.settings.settings as NonNullable<typeof this.settings.settings>),
        file: this.path,
        line: this.lineNo,
      };
    }
  }

  private countKnown(line: string, from: number, time: LogTime | null): void {
    if (this.dialect !== "nanomq" && this.dialect !== undefined) return;
    const known = matchKnownLine(line, from);
    if (known) countKnownLine(this.summary, known.line.id, time);
  }

  /** Emits the incidents still open (end of file, or an idle followed file). */
  flush(): void {
    this.grouper.flush();
  }
}
