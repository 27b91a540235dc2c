/**
 * A tolerant reader of NanoMQ config files: HOCON (`mqtt { retry_interval = 10s }`, dotted keys, `=` or `:`,
 * commas or newlines between fields, `#` and `//` comments, quoted strings, arrays) and the old flat
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
  /** Whether any `{ … }` block was opened (a sure sign of HOCON). */
  blocks: boolean;
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
  const readValue = (): string => {
    let out = "";
    let first = true;
    while (pos < text.length) {
      const c = peek();
      if (c === "\n" || c === "," || c === "}" || atComment(first)) break;
      if (c === '"') out += readQuoted();
      else if (c === "$" && peek(1) === "{") out += readSubstitution();
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

  const skipArray = () => {
    const startLine = line;
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
        if (depth === 0) return;
      }
    }
    issues.push({ line: startLine, problem: "unclosed-array" });
  };

  const parseObject = (prefix: string, openLine: number | null): void => {
    for (;;) {
      skipBetweenFields();
      if (pos >= text.length) {
        if (openLine !== null) issues.push({ line: openLine, problem: "unclosed-block" });
        return;
      }
      if (peek() === "}") {
        advance();
        if (openLine !== null) return;
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
        const start = pos;
        skipToEol();
        includes.push({ line: keyLine, target: includeTarget(text.slice(start, pos)) });
        continue;
      }
      const path = prefix === "" ? key : `${prefix}.${key}`;
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
        parseObject(path, keyLine);
      } else if (c === "[" && separated) skipArray();
      else if (!separated || c === "\n" || c === "" || c === "," || c === "}" || atComment(true)) {
        // `key value` without = or : is not a setting (HOCON allows it only before `{`): prose, not config.
        issues.push({ line: keyLine, problem: separated ? "missing-value" : "missing-separator" });
        if (!separated) skipToEol();
      } else entries.push({ path, raw: readValue(), line: keyLine });
    }
  };

  parseObject("", null);
  return { entries, issues, includes, blocks };
}
