/**
 * A tolerant reader of NanoMQ config files: HOCON (`mqtt { retry_interval = 10s }`, dotted keys, `=` or `:`,
 * commas or newlines between fields, `#` and `//` comments, quoted strings, arrays (kept whole as raw text)) and the old flat
 * `key=value` format, which is a subset of it. It records every scalar setting with its dotted path and line and
 * never throws: anything it cannot follow becomes an issue with a line number and the rest is still read.
 * Includes and substitutions are not resolved: includes are listed, and a `${…}` substitution is kept as raw text
 * (its braces never open or close a block).
 */
export interface ConfEntry {
  /** Dotted path: `mqtt.retry_interval`. */
  path: string;
  /** The value as written, quotes removed. */
  raw: string;
  line: number;
  /** Whether the value was a quoted string: NanoMQ's HOCON reader then sees a string, never a number. */
  quoted: boolean;
  /** Index of the top-level field (block or dotted key) the setting belongs to, in source order. */
  group: number;
  /** That top-level field's key as written: `mqtt` for `mqtt { … }`, `mqtt.retry_interval` for a dotted key. */
  topKey: string;
}

export type ConfProblem =
  | "unclosed-block"
  | "unexpected-close"
  | "missing-value"
  | "missing-separator"
  | "unclosed-string"
  | "unclosed-array"
  | "unclosed-substitution";

export interface ConfIssue {
  line: number;
  problem: ConfProblem;
}

/** An `include "file.conf"` directive, not followed: the target as written, quotes and `required(…)` removed. */
export interface ConfInclude {
  line: number;
  target: string;
}

export interface ConfScan {
  entries: ConfEntry[];
  issues: ConfIssue[];
  includes: ConfInclude[];
  /** Whether any `{ … }` block was opened. */
  blocks: boolean;
  /** Line of the first block that closes on a later line than it opens: the flat format never has one. */
  multiLineBlockAt: number | null;
}

const KEY_STOP = new Set([...'=:{}[],#"+']);

/** `required(file("a.conf")) # c` → `a.conf`. */
function includeTarget(rest: string): string {
  let target = rest.replace(/\s(#|\/\/).*$/, "").trim();
  for (let m = /^\w+\((.*)\)$/.exec(target); m; m = /^\w+\((.*)\)$/.exec(target))
    target = (m[1] as string).trim();
  return target.replace(/^"(.*)"$/, "$1");
}

export function scanConf(text: string): ConfScan {
  let pos = 0;
  let line = 1;
  const entries: ConfEntry[] = [];
  const issues: ConfIssue[] = [];
  const includes: ConfInclude[] = [];
  let blocks = false;
  let multiLineBlockAt: number | null = null;
  let group = -1;
  let topKey = "";

  const peek = (offset = 0) => text[pos + offset] ?? "";
  const advance = () => {
    if (text[pos] === "\n") line += 1;
    pos += 1;
  };
  const atComment = (valueStart: boolean) =>
    peek() === "#" || (peek() === "/" && peek(1) === "/" && (valueStart || /\s/.test(text[pos - 1] ?? " ")));
  const skipToEol = () => {
    while (pos < text.length && peek() !== "\n") advance();
  };
  const skipInline = () => {
    while (peek() === " " || peek() === "\t" || peek() === "\r") advance();
  };
  const skipBetweenFields = () => {
    for (;;) {
      if (/[\s,;]/.test(peek()) && pos < text.length) advance();
      else if (atComment(true)) skipToEol();
      else return;
    }
  };

  /** A quoted string starting at `"`; returns its content. */
  const readQuoted = (): string => {
    const startLine = line;
    if (text.startsWith('"""', pos)) {
      const end = text.indexOf('"""', pos + 3);
      if (end < 0) {
        issues.push({ line: startLine, problem: "unclosed-string" });
        const rest = text.slice(pos + 3);
        while (pos < text.length) advance();
        return rest;
      }
      const content = text.slice(pos + 3, end);
      while (pos < end + 3) advance();
      return content;
    }
    advance();
    let out = "";
    while (pos < text.length && peek() !== '"' && peek() !== "\n") {
      if (peek() === "\\" && pos + 1 < text.length) {
        advance();
        out += peek();
      } else out += peek();
      advance();
    }
    if (peek() === '"') advance();
    else issues.push({ line: startLine, problem: "unclosed-string" });
    return out;
  };

  const readKey = (): string => {
    if (peek() === '"') return readQuoted();
    let key = "";
    while (pos < text.length && !/\s/.test(peek()) && !KEY_STOP.has(peek())) {
      if (peek() === "/" && peek(1) === "/") break;
      key += peek();
      advance();
    }
    return key;
  };

  /** A scalar value up to the end of the field: newline, comma, `}` or a comment. */
  let valueQuoted = false;
  const readValue = (): string => {
    let out = "";
    let first = true;
    valueQuoted = false;
    while (pos < text.length) {
      const c = peek();
      if (c === "\n" || c === "," || c === "}" || atComment(first)) break;
      if (c === '"') {
        valueQuoted = true;
        out += readQuoted();
      } else if (c === "$" && peek(1) === "{") out += readSubstitution();
      else {
        out += c;
        advance();
      }
      first = false;
    }
    return out.trim();
  };

  /** `${path}` or `${?ENV}`: kept whole, so its `}` does not close the enclosing block. */
  const readSubstitution = (): string => {
    let out = "";
    while (pos < text.length && peek() !== "\n") {
      const c = peek();
      out += c;
      advance();
      if (c === "}") return out;
    }
    issues.push({ line, problem: "unclosed-substitution" });
    return out;
  };

  /** An array value, skipped as a whole (nested blocks and braces in strings included); returns its text. */
  const skipArray = (): string => {
    const startLine = line;
    const start = pos;
    let depth = 0;
    while (pos < text.length) {
      const c = peek();
      if (c === '"') {
        readQuoted();
        continue;
      }
      if (atComment(true)) {
        skipToEol();
        continue;
      }
      advance();
      if (c === "[") depth += 1;
      else if (c === "]") {
        depth -= 1;
        if (depth === 0) return text.slice(start, pos);
      }
    }
    issues.push({ line: startLine, problem: "unclosed-array" });
    return text.slice(start, pos);
  };

  /** Reads fields up to the closing `}` (or the end of the text at top level); true when the block closed. */
  const parseObject = (prefix: string, openLine: number | null): boolean => {
    for (;;) {
      skipBetweenFields();
      if (pos >= text.length) {
        if (openLine !== null) issues.push({ line: openLine, problem: "unclosed-block" });
        return openLine === null;
      }
      if (peek() === "}") {
        advance();
        if (openLine !== null) return true;
        issues.push({ line, problem: "unexpected-close" });
        continue;
      }
      const keyLine = line;
      const key = readKey();
      if (key === "") {
        issues.push({ line: keyLine, problem: "missing-value" });
        if (peek() === "[") skipArray();
        else skipToEol();
        continue;
      }
      if (key === "include") {
        // To the end of the line, or to the `}` of `password = {include "/etc/nanomq_pwd.conf"}` (shipped files).
        const start = pos;
        let quoted = false;
        while (pos < text.length && peek() !== "\n" && (quoted || peek() !== "}")) {
          if (peek() === '"') quoted = !quoted;
          advance();
        }
        includes.push({ line: keyLine, target: includeTarget(text.slice(start, pos)) });
        continue;
      }
      const path = prefix === "" ? key : `${prefix}.${key}`;
      if (openLine === null) {
        group += 1;
        topKey = key;
      }
      skipInline();
      if (peek() === "+" && peek(1) === "=") advance();
      const separated = peek() === "=" || peek() === ":";
      if (separated) {
        advance();
        skipInline();
      }
      const c = peek();
      if (c === "{") {
        advance();
        blocks = true;
        // Only a block that really closes on a later line counts: a stray `{` in a flat value never does.
        if (parseObject(path, keyLine) && multiLineBlockAt === null && line > keyLine)
          multiLineBlockAt = keyLine;
      } else if (c === "[" && separated) {
        const raw = skipArray();
        entries.push({ path, raw, line: keyLine, quoted: false, group, topKey });
      } else if (!separated || c === "\n" || c === "" || c === "," || c === "}" || atComment(true)) {
        // `key value` without = or : is not a setting (HOCON allows it only before `{`): prose, not config.
        issues.push({ line: keyLine, problem: separated ? "missing-value" : "missing-separator" });
        if (!separated) skipToEol();
      } else {
        const raw = readValue();
        entries.push({ path, raw, line: keyLine, quoted: valueQuoted, group, topKey });
      }
    }
  };

  parseObject("", null);
  return { entries, issues, includes, blocks, multiLineBlockAt };
}
