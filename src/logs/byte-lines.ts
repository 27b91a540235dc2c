import { CATALOGUE } from "../signatures/catalogue.js";
import { KNOWN_LINES } from "../signatures/known-lines.js";
import type { SignatureMatch } from "../signatures/matcher.js";
import { templatePattern } from "../signatures/render.js";
import { isNegoRv, negoSignature } from "../signatures/rv.js";
import { CONNECT_PAYLOAD_ANCHOR } from "./connect-log.js";
import { chomp, MAX_LINE_CHARS } from "./line-splitter.js";
import { type Hits, MultiSearch } from "./multi-search.js";
import { NanomqPrefix } from "./nanomq-prefix.js";
import { SETTINGS_ANCHORS } from "./nanomq-settings.js";
import { PIPE_CLOSE_ANCHOR } from "./pipe-close.js";
import type { LogTime } from "./timestamp.js";

/**
 * The fast path of the classifier: reads a log's bytes without decoding most of its lines. A multi-pattern search
 * (multi-search.ts, over the bytes: every anchor is ASCII, and an ASCII text is in the bytes exactly when it is in their
 * UTF-8 decoding) finds every occurrence of every anchor of the NanoMQ catalogue and known lines (the longest literal
 * of each template: a template cannot match without it). Then, line by line, only the prefix is read:
 * - a NanoMQ line without any anchor ("boring") changes nothing but the line count, the last log time and the
 *   merged-line state, and only the last one before a decoded line matters: its time is handed on (boring()), or,
 *   when it holds a `[` (maybe a merged prefix), it is replayed, decoded, first;
 * - a NanoMQ line whose one anchor is ` online!`/` offline!` (one template each, `{clientId}` + the anchor, so it
 *   always matches, and no `[` that could be a merged prefix) or a known WARN line (`sleep aio error 7`) is counted
 *   from its prefix; so is one whose one anchor belongs to one template that is the anchor alone, the anchor and a
 *   number (`recv_error rv: 139`, `rv:(31)`, `Packet type 47` in hex), or the anchor and a free-text tail (`recv
 *   error!! Object closed`), its args read from the bytes as the template's RegExp reads them (readTemplate);
 * - a line without prefix nor anchor (a start-up line of the console) is counted as unparsed (unparsed());
 * - every other line (other anchors, merged lines, colours, overlong, another dialect) is decoded as UTF-8
 *   and goes through the plain classifier, exactly as before; so do the INFO/DEBUG lines that are no signature but
 *   that the classifier reads (`pipe close!`, the start-up settings, a debug connect payload: INFO_ANCHORS).
 * Results are those of the plain path (test/unit/logs/byte-lines.test.ts checks it on random mixes and chunkings).
 */
export interface ByteSink {
  /** The dialect found so far is NanoMQ's (only a NanoMQ file has a fast path). */
  readonly fastDialect: boolean;
  /** `<id> online!` lines are wanted with their client id (the plain path's `{clientId}`), not just counted. */
  readonly wantsClientIds: boolean;
  /**
   * One line decoded, through the plain classifier; `anchors`: every catalogue anchor the line holds, when the byte
   * search has seen them all (a NanoMQ file, no colours, not overlong), so the matcher tries only their templates.
   */
  line(text: string, anchors?: readonly string[]): void;
  /** A line's effect on the state without counting it (the last boring line before a decoded one: no anchors). */
  replay(text: string, anchors: readonly string[]): void;
  /** `count` boring lines (or blank ones). */
  skip(count: number): void;
  /** The last boring line before a decoded one, when it holds no `[` (no merged prefix): only its time counts. */
  boring(time: LogTime): void;
  /** A line in no known format that holds no anchor (not blank, no colours): counted as unparsed. */
  unparsed(): void;
  /** A line whose one message is `match`, at `time`, on `thread`. */
  signature(match: SignatureMatch, time: LogTime, thread: string): void;
  /** A WARN line that is the known line `id`. */
  known(id: string, time: LogTime): void;
}

/**
 * How a line whose one anchor this is reads as its template's one match: the anchor is the whole template
 * (`literal`), or is followed by `{arg}` digits and a literal `suffix` (`recv_error rv: {rv}`, `rv:({rv})`), or by a
 * free-text `{arg}` to the end of the line (`nni aio recv error!! {reason}`).
 */
type Form =
  | { kind: "literal" }
  | { kind: "number"; arg: string; suffix: Uint8Array }
  | { kind: "hex"; arg: string; suffix: Uint8Array }
  | { kind: "tail"; arg: string };

interface Anchor {
  text: string;
  bytes: Uint8Array;
  /** The catalogue message this anchor alone proves (online/offline). */
  match?: SignatureMatch;
  /** The one template this anchor belongs to, when a line holding only it is read from the bytes. */
  template?: {
    id: SignatureMatch["id"];
    key: string;
    form: Form;
    matches: Map<string, SignatureMatch>;
    /** Number forms: the same matches by value · 16 + digit count (no string made per line). */
    numbers: Map<number, SignatureMatch>;
  };
  /** The known line it proves, when a digit follows it. */
  known?: string;
}

/** Lines that hold no catalogue message but that the classifier reads (see above). */
const INFO_ANCHORS = [PIPE_CLOSE_ANCHOR, ...SETTINGS_ANCHORS, CONNECT_PAYLOAD_ANCHOR];

function longestLiteral(text: string): string {
  return text.split(/\{\w+\}/).reduce((a, b) => (b.length > a.length ? b : a), "");
}

/** Every anchor of the NanoMQ catalogue and of the known lines; the fast ones say what they prove. */
function nanomqAnchors(): Anchor[] {
  const owners = new Map<
    string,
    { id: SignatureMatch["id"]; key: string; text: string; pattern: string }[]
  >();
  for (const sig of CATALOGUE) {
    for (const t of sig.templates) {
      if (t.dialect !== "nanomq") continue;
      const anchor = longestLiteral(t.text);
      const list = owners.get(anchor) ?? [];
      list.push({ id: sig.id, key: t.key, text: t.text, pattern: templatePattern(t).source });
      owners.set(anchor, list);
    }
  }
  const anchors = new Map<string, Anchor>();
  for (const [text, list] of owners) {
    const anchor: Anchor = { text, bytes: Buffer.from(text, "latin1") };
    const only = list.length === 1 ? list[0] : undefined;
    // `{clientId} online!`: the anchor alone is the whole match; these lines start, end or name no incident.
    if (
      only &&
      (only.id === "client-connected" || only.id === "client-offline") &&
      only.text === `{clientId}${text}` &&
      !text.includes("[")
    ) {
      anchor.match = { id: only.id, key: only.key, dialect: "nanomq", index: 0, text, args: {} };
    } else if (only && !text.includes("[")) {
      const form = formOf(only.text, text, only.pattern);
      if (form)
        anchor.template = { id: only.id, key: only.key, form, matches: new Map(), numbers: new Map() };
    }
    anchors.set(text, anchor);
  }
  for (const k of KNOWN_LINES) {
    const text = longestLiteral(k.template.text);
    const anchor: Anchor = anchors.get(text) ?? { text, bytes: Buffer.from(text, "latin1") };
    // `sleep aio error {rv}`: the anchor, then digits, is the pattern's whole demand.
    if (!owners.has(text) && k.template.text === `${text}{rv}`) anchor.known = k.id;
    anchors.set(text, anchor);
  }
  for (const text of INFO_ANCHORS)
    if (!anchors.has(text)) anchors.set(text, { text, bytes: Buffer.from(text, "latin1") });
  return [...anchors.values()].filter((a) => a.bytes.length > 0 && a.bytes.every((b) => b < 128));
}

/** The template `text` as one of the forms a line is read in from its bytes, if it is one. */
function formOf(text: string, anchor: string, pattern: string): Form | undefined {
  if (text === anchor) return { kind: "literal" };
  const m = /^\{(\w+)\}(.*)$/.exec(text.startsWith(anchor) ? text.slice(anchor.length) : "");
  if (!m) return undefined;
  const [, arg = "", suffix = ""] = m;
  if (suffix.includes("{")) return undefined;
  if (pattern.includes(`(?<${arg}>\\d+)`))
    return { kind: "number", arg, suffix: Buffer.from(suffix, "latin1") };
  if (pattern.includes(`(?<${arg}>[0-9a-fA-F]+)`))
    return { kind: "hex", arg, suffix: Buffer.from(suffix, "latin1") };
  if ((arg === "reason" || arg === "topic") && suffix === "") return { kind: "tail", arg };
  return undefined;
}

let search: { search: MultiSearch; anchors: readonly Anchor[] } | undefined;
const NONE: readonly string[] = [];

/** A partial line longer than this (bytes) is an overlong line: its first MAX_LINE_CHARS chars are all it keeps. */
const OVERLONG_BYTES = 4 * MAX_LINE_CHARS;

/**
 * Splits bytes into lines and feeds a ByteSink (see above). Lines split across chunks are carried as bytes;
 * a line is decoded only once whole, so a UTF-8 character split across chunks is decoded whole.
 */
export class ByteLines {
  private carry: Buffer | undefined;
  /** Inside an overlong line already emitted: drop bytes up to its newline. */
  private skipping = false;
  private readonly search: MultiSearch;
  private readonly anchors: readonly Anchor[];
  private readonly hits: Hits = { at: new Int32Array(4096), which: new Uint8Array(4096) };
  private readonly prefix = new NanomqPrefix();

  constructor(private readonly sink: ByteSink) {
    if (!search) {
      const anchors = nanomqAnchors();
      search = { search: new MultiSearch(anchors.map((a) => a.bytes)), anchors };
    }
    this.search = search.search;
    this.anchors = search.anchors;
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.skipping) {
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      this.skipping = false;
      buf = buf.subarray(nl + 1);
    }
    if (this.carry) {
      // The carried line's end: that one line is joined, the rest of the chunk is read where it lies.
      const nl = buf.indexOf(10);
      const head = Buffer.concat([this.carry, nl < 0 ? buf : buf.subarray(0, nl + 1)]);
      this.carry = undefined;
      if (nl < 0) {
        this.keep(head);
        return;
      }
      this.lines(head, head.length);
      buf = buf.subarray(nl + 1);
    }
    const last = buf.lastIndexOf(10);
    if (last < 0) {
      this.keep(buf);
      return;
    }
    this.lines(buf, last + 1);
    if (last + 1 < buf.length) this.keep(buf.subarray(last + 1));
  }

  /** The last line, if it had no newline. */
  end(): void {
    const rest = this.carry;
    this.carry = undefined;
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    if (rest && rest.length > 0) this.sink.line(chomp(rest.toString("utf8")));
  }

  /** Forgets a partial line (the read broke off, or the next file begins). */
  reset(): void {
    this.carry = undefined;
    this.skipping = false;
  }

  private keep(part: Buffer): void {
    if (part.length > OVERLONG_BYTES) {
      // Its first MAX_LINE_CHARS chars are in these bytes; the rest of it, up to its newline, is dropped.
      this.sink.line(chomp(part.toString("utf8")));
      this.skipping = true;
      return;
    }
    this.carry = Buffer.from(part);
  }

  /** The complete lines of buf[0, end). */
  private lines(buf: Buffer, end: number): void {
    const sink = this.sink;
    const prefix = this.prefix;
    const fields = prefix.last;
    let fastDialect = this.sink.fastDialect;
    let count = fastDialect ? this.search.find(buf, 0, end, this.hits) : 0;
    let { at, which } = this.hits;
    const anchors = this.anchors;
    let h = 0;
    let esc = fastDialect ? buf.indexOf(27) : -1;
    let skipped = 0;
    // The last boring line (see above): where it is, where its message starts, its stamp.
    let pendingStart = -1;
    let pendingEnd = -1;
    let pendingBody = -1;
    let pendingDate = 0;
    let pendingClock = 0;
    for (let ls = 0; ls < end; ) {
      if (!fastDialect && sink.fastDialect) {
        // The dialect was just found (the file's first lines): the rest of the chunk is searched.
        fastDialect = true;
        count = this.search.find(buf, ls, end, this.hits);
        ({ at, which } = this.hits);
        h = 0;
        esc = buf.indexOf(27, ls);
      }
      const nl = buf.indexOf(10, ls);
      const next = nl + 1;
      let le = nl;
      if (le > ls && buf[le - 1] === 13) le--;
      let hits = 0;
      const first = h;
      while (h < count && (at[h] as number) < nl) {
        h++;
        hits++;
      }
      if (le === ls) {
        skipped++; // blank: no line of the log
        ls = next;
        continue;
      }
      // Searched whole: a NanoMQ file's line, neither overlong nor coloured (stripping colours could join an anchor).
      let clean = false;
      if (fastDialect && nl - ls <= MAX_LINE_CHARS) {
        while (esc >= 0 && esc < ls) esc = buf.indexOf(27, ls);
        clean = esc < 0 || esc >= nl;
      }
      const body = clean ? prefix.read(buf, ls, le) : -1;
      if (body >= 0 && hits === 0) {
        skipped++;
        pendingStart = ls;
        pendingEnd = nl;
        pendingBody = body;
        pendingDate = fields.date;
        pendingClock = fields.clock;
        ls = next;
        continue;
      }
      const anchor =
        body >= 0 && hits === 1 && (at[first] as number) >= body
          ? anchors[which[first] as number]
          : undefined;
      let fast = false;
      let read: SignatureMatch | undefined;
      if (anchor?.template && !hasBracket(buf, body, le)) {
        read = readTemplate(buf, (at[first] as number) + anchor.bytes.length, le, anchor.template);
        fast = read !== undefined;
      } else if (anchor?.match) fast = !hasBracket(buf, body, le);
      else if (anchor?.known)
        fast = isDigit(buf[(at[first] as number) + anchor.bytes.length] ?? 0) && prefix.isWarn(buf);
      if (skipped > 0) sink.skip(skipped);
      skipped = 0;
      if (pendingStart >= 0 && !fast) {
        if (hasBracket(buf, pendingBody, pendingEnd))
          sink.replay(chomp(buf.toString("utf8", pendingStart, pendingEnd)), NONE);
        else sink.boring(prefix.time(pendingDate, pendingClock));
      }
      pendingStart = -1;
      if (fast) {
        const time = prefix.time(fields.date, fields.clock);
        if (read) sink.signature(read, time, prefix.thread(buf, ls));
        else if (anchor?.match)
          sink.signature(
            sink.wantsClientIds && anchor.match.id === "client-connected"
              ? withClientId(anchor.match, buf, body, at[first] as number)
              : anchor.match,
            time,
            prefix.thread(buf, ls),
          );
        else sink.known(anchor?.known as string, time);
      } else if (clean && body < 0 && hits === 0 && (buf[ls] as number) > 32) {
        sink.unparsed(); // no prefix, no anchor, not blank: nothing in it but that it is unparsed
      } else {
        let present: string[] | undefined;
        if (clean) {
          present = [];
          for (let k = first; k < first + hits; k++)
            present.push((anchors[which[k] as number] as Anchor).text);
        }
        sink.line(chomp(buf.toString("utf8", ls, nl)), present);
      }
      ls = next;
    }
    if (skipped > 0) sink.skip(skipped);
    if (pendingStart >= 0) {
      if (hasBracket(buf, pendingBody, pendingEnd))
        sink.replay(chomp(buf.toString("utf8", pendingStart, pendingEnd)), NONE);
      else sink.boring(prefix.time(pendingDate, pendingClock));
    }
  }
}

/**
 * The match of a line whose one anchor ends at `from`, as the template's RegExp would read it, or undefined when
 * the bytes do not fit the template (the plain path decides). A free-text tail runs to the line's end, trimmed; one
 * with a `\r` or a non-ASCII byte (maybe U+2028, which `.` does not cross) is left to the plain path.
 */
function readTemplate(
  buf: Buffer,
  from: number,
  le: number,
  t: NonNullable<Anchor["template"]>,
): SignatureMatch | undefined {
  const form = t.form;
  if (form.kind === "literal") return matchOf(t, "", "");
  if (form.kind === "number") {
    let i = from;
    let value = 0;
    while (i < le && isDigit(buf[i] as number)) value = value * 10 + (buf[i++] as number) - 48;
    if (i === from || i + form.suffix.length > le) return undefined;
    for (let k = 0; k < form.suffix.length; k++) if (buf[i + k] !== form.suffix[k]) return undefined;
    // The digits as a number and their count name the text exactly (leading zeros included), up to 14 digits.
    const digits = i - from;
    if (digits > 14) return matchOf(t, form.arg, buf.toString("latin1", from, i));
    const key = value * 16 + digits;
    return t.numbers.get(key) ?? numberMatch(t, form.arg, key, buf.toString("latin1", from, i));
  }
  if (form.kind === "hex") {
    // `Illegal CONNECT Packet type {packetType}`: NanoMQ prints the byte with %x (rare: the text is made).
    let i = from;
    while (i < le && isHex(buf[i] as number)) i++;
    if (i === from || i + form.suffix.length > le) return undefined;
    for (let k = 0; k < form.suffix.length; k++) if (buf[i + k] !== form.suffix[k]) return undefined;
    return matchOf(t, form.arg, buf.toString("latin1", from, i));
  }
  for (let i = from; i < le; i++) {
    const c = buf[i] as number;
    if (c === 13 || c >= 128) return undefined;
  }
  return matchOf(t, form.arg, buf.toString("latin1", from, le).trim());
}

/**
 * The match of template `t` with `arg` = `value`: one object per value (nothing changes a match once made). A
 * `connect nego error rv` match is made with the signature its rv stands for (negoSignature, as the classifier's
 * refine() would), so that refine() has nothing left to copy.
 */
function matchOf(t: NonNullable<Anchor["template"]>, arg: string, value: string): SignatureMatch {
  let m = t.matches.get(value);
  if (m === undefined) {
    const args: Record<string, string> = arg === "" ? {} : { [arg]: value };
    const id = isNegoRv({ dialect: "nanomq", key: t.key }) ? negoSignature(Number(args.rv)) : t.id;
    m = { id, key: t.key, dialect: "nanomq", index: 0, text: "", args };
    if (t.matches.size < 256) t.matches.set(value, m);
  }
  return m;
}

/** matchOf for a number read from the bytes, remembered by its key (value · 16 + digits) as well. */
function numberMatch(
  t: NonNullable<Anchor["template"]>,
  arg: string,
  key: number,
  value: string,
): SignatureMatch {
  const m = matchOf(t, arg, value);
  if (t.numbers.size < 256) t.numbers.set(key, m);
  return m;
}

/** `{clientId} online!` with its client id: the space-free run before the anchor, as `\S*` reads it. */
function withClientId(match: SignatureMatch, buf: Buffer, body: number, anchorAt: number): SignatureMatch {
  let i = anchorAt;
  while (i > body && buf[i - 1] !== 32) i--;
  return { ...match, args: { clientId: buf.toString("utf8", i, anchorAt) } };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** A `[` in the message: maybe another line's prefix merged into this one, so the plain path reads it. */
function hasBracket(buf: Buffer, from: number, le: number): boolean {
  const b = buf.indexOf(91, from);
  return b >= 0 && b < le;
}
