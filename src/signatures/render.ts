import { type NanomqVersion, versionAtLeast } from "../core/profile.js";
import { CATALOGUE } from "./catalogue.js";
import type { Dialect, LineArgs, LineTemplate, SignatureId } from "./types.js";

export interface RenderedMessage {
  signature: SignatureId;
  template: LineTemplate;
  /** The message text, without the dialect's timestamp/level prefix. */
  text: string;
}

function inEra(template: LineTemplate, version: NanomqVersion): boolean {
  if (template.since && !versionAtLeast(version, template.since)) return false;
  if (template.until && !versionAtLeast(template.until, version)) return false;
  return true;
}

/** The template a broker of this dialect (and NanoMQ version) prints for `id`/`key`, if it prints one. */
export function findTemplate(
  id: SignatureId,
  key: string,
  dialect: Dialect,
  version: NanomqVersion,
): LineTemplate | undefined {
  const sig = CATALOGUE.find((s) => s.id === id);
  return sig?.templates.find((t) => t.key === key && t.dialect === dialect && inEra(t, version));
}

export function fillTemplate(text: string, args: LineArgs): string {
  const values = new Map(Object.entries(args));
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values.get(name);
    return value === undefined ? `{${name}}` : String(value);
  });
}

/** Renders the message of signature `id`, event `key`, or undefined when this dialect/era prints nothing. */
export function renderMessage(
  id: SignatureId,
  key: string,
  dialect: Dialect,
  version: NanomqVersion,
  args: LineArgs = {},
): RenderedMessage | undefined {
  const template = findTemplate(id, key, dialect, version);
  if (!template) return undefined;
  return { signature: id, template, text: fillTemplate(template.text, args) };
}

const NUMERIC = new Set([
  "pipeId",
  "rv",
  "port",
  "len",
  "protocol",
  "clean",
  "keepalive",
  "silentMs",
  "limitMs",
  "listenerPort",
]);

/** The template as a RegExp matching its message anywhere in a line, placeholders as named groups. */
export function templatePattern(template: LineTemplate): RegExp {
  let source = "";
  let last = 0;
  for (const m of template.text.matchAll(/\{(\w+)\}/g)) {
    source += escapeRegExp(template.text.slice(last, m.index));
    const name = m[1] as string;
    source += NUMERIC.has(name)
      ? `(?<${name}>\\d+)`
      : name === "packetType"
        ? `(?<${name}>[0-9a-fA-F]+)` // NanoMQ prints the first byte in hex (`%x`)
        : name === "clientId"
          ? `(?<${name}>\\S*)`
          : `(?<${name}>.*?)`;
    last = (m.index ?? 0) + m[0].length;
  }
  const tail = template.text.slice(last);
  source += escapeRegExp(tail);
  // A trailing free-text placeholder (e.g. the recv error reason) runs to the end of the line.
  if (tail === "" && /\{(reason|topic)\}$/.test(template.text)) source = source.replace(/\.\*\?\)$/, ".*)");
  // Any other word placeholder ending the message (ejabberd's `… from {ip}`) is one word.
  else if (tail === "") source = source.replace(/\.\*\?\)$/, "\\S+)");
  return new RegExp(source);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
