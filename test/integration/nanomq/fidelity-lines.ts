import { CATALOGUE } from "../../../src/signatures/catalogue.js";
import { KNOWN_LINES } from "../../../src/signatures/known-lines.js";
import { templatePattern } from "../../../src/signatures/render.js";
import { negoSignature } from "../../../src/signatures/rv.js";

/**
 * Reading NanoMQ log lines for the fidelity suite: the real broker's file log (`stamp [tid] LEVEL path:line: msg`)
 * and the embedded profile's console-format lines (`stamp [tid] LEVEL path:line func: msg`) both become
 * `LEVEL msg`, with the signature id the catalogue's nanomq templates give the message ("?" when none does).
 * What is stripped is what differs by nature between two runs: timestamp, thread id, source path and line, the
 * console's function name, and nng's pipe id (a random 32-bit start, then counting up: run-specific like a tid).
 */
export interface NanomqLine {
  id: string;
  level: string;
  /** The message, pipe ids replaced by `<pipe>`. */
  text: string;
}

const PREFIX = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \[\d+\] (\w+)\s+\S+?:\d+(?: \w+)?: (.*)$/;

const TEMPLATES = [
  ...CATALOGUE.flatMap((s) =>
    s.templates
      .filter((t) => t.dialect === "nanomq")
      .map((t) => ({ id: s.id as string, key: t.key, text: t.text, pattern: templatePattern(t) })),
  ),
  // Lines that are no signature (`sleep aio error 7`, `pipe id … is gone`): named as known lines.
  ...KNOWN_LINES.filter((k) => k.template.dialect === "nanomq").map((k) => ({
    id: `known:${k.id}`,
    key: k.template.key,
    text: k.template.text,
    pattern: templatePattern(k.template),
  })),
];

/**
 * The catalogue's id for a NanoMQ message: the longest template that matches it whole (a message, not a line). A
 * `connect nego error rv…` line is one text for every cause, so its rv names it (as `mqdiag logs` reads it).
 */
export function nanomqSignatureOf(message: string): string {
  let best: { id: string; length: number; rv?: string } | undefined;
  for (const t of TEMPLATES) {
    const m = new RegExp(`^(?:${t.pattern.source})$`).exec(message);
    if (m && (!best || t.text.length > best.length))
      best = { id: t.id, length: t.text.length, rv: t.key === "nego-rv" ? m.groups?.rv : undefined };
  }
  if (best?.rv !== undefined) return negoSignature(Number(best.rv));
  return best?.id ?? "?";
}

export function normaliseMessage(message: string): string {
  return message.replace(/\bpipe (id )?\d+\b/g, "pipe $1<pipe>").trimEnd();
}

/** Parses one log line; blank lines (NanoMQ messages that end in their own newline leave one) give undefined. */
export function parseNanomqLine(line: string): NanomqLine | undefined {
  if (line.trim() === "") return undefined;
  const m = PREFIX.exec(line);
  if (!m) return { id: "unparsed", level: "", text: line };
  const message = (m[2] as string).trimEnd();
  return { id: nanomqSignatureOf(message), level: m[1] as string, text: normaliseMessage(message) };
}

export function showLine(l: NanomqLine): string {
  return `${l.id} · ${l.level} · ${l.text}`;
}

/** Levels a `log.level = warn` file keeps. */
export const WARN_AND_ABOVE = new Set(["WARN", "ERROR", "FATAL"]);
