import { CATALOGUE } from "./catalogue.js";
import { SIGNATURE_EXPLANATIONS } from "./explanations.js";
import { INCIDENT_KINDS, type IncidentKind, isIncidentKind, kindExplanation } from "./incident-kinds.js";
import { KNOWN_LINES, type KnownLine, matchKnownLine } from "./known-lines.js";
import { compileMatcher } from "./matcher.js";
import { isNegoRv, negoSignature, type RvMeaning, rvMeaning } from "./rv.js";
import { isSourceDialect, SOURCE_DIALECTS } from "./source-dialects.js";
import type { Dialect, Explanation, LogLevel, SignatureId } from "./types.js";

export interface TemplateInfo {
  dialect: Dialect;
  key: string;
  level: LogLevel;
  text: string;
  /** NanoMQ versions printing this wording, e.g. "≤ 0.21.9", "≥ 0.25.0". */
  versions?: string;
  /** Built from the broker's source (its format strings), not seen from a run. */
  fromSource?: true;
}

/** One thing `mqdiag explain` tells about: a catalogue signature or an incident kind. */
export interface ExplainEntry extends Explanation {
  /** `known`: a line the broker prints that is neither a signature nor an incident (noise, explained). */
  source: "signature" | "incident" | "known";
  /** The lines that carry it (signatures), in every dialect and wording. */
  templates: TemplateInfo[];
  /** The rv the query named or the pasted line carried. */
  rv?: RvMeaning;
  /** For a pasted line: the part of it that matched. */
  matchedText?: string;
}

/** The `func: ` a few messages begin with (NanoMQ prints `tcptran_pipe_recv_cb: parse error rv: …`). */
const MESSAGE_LEADS = [
  ...new Set(
    CATALOGUE.flatMap((s) =>
      s.templates.map((t) => /^\w+: /.exec(t.text)?.[0]).filter((l) => l !== undefined),
    ),
  ),
];

const SIGNATURE_IDS = new Set<string>(CATALOGUE.map((s) => s.id));
/** The rvs `connect nego error` lines carry (their meaning differs from the recv rvs). */
const NEGO_RVS = new Set([5, 31, 13, 153]);

function versions(t: { since?: readonly number[]; until?: readonly number[] }): string | undefined {
  if (t.since && t.until) return `${t.since.join(".")} – ${t.until.join(".")}`;
  if (t.since) return `≥ ${t.since.join(".")}`;
  if (t.until) return `≤ ${t.until.join(".")}`.replace(".999", ".x");
  return undefined;
}

export function signatureEntry(id: SignatureId): ExplainEntry {
  const sig = CATALOGUE.find((s) => s.id === id);
  const templates = (sig?.templates ?? []).map((t) => ({
    dialect: t.dialect,
    key: t.key,
    level: t.level,
    text: t.text,
    versions: versions(t),
    ...(isSourceDialect(t.dialect) ? { fromSource: true as const } : {}),
  }));
  return { ...SIGNATURE_EXPLANATIONS[id], source: "signature", templates };
}

export function kindEntry(kind: IncidentKind): ExplainEntry {
  return { ...kindExplanation(kind), source: "incident", templates: [] };
}

/** A known, harmless line as an explain entry. */
export function knownEntry(line: KnownLine, matchedText?: string): ExplainEntry {
  return {
    id: line.id,
    title: line.title,
    meaning: line.meaning,
    causes: [],
    checks: [],
    fixes: [],
    specRefs: [],
    source: "known",
    templates: [
      {
        dialect: line.template.dialect,
        key: line.template.key,
        level: line.template.level,
        text: line.template.text,
      },
    ],
    ...(matchedText ? { matchedText } : {}),
  };
}

/** Everything explain knows: every catalogue signature, the incident kinds that are not signatures, known lines. */
export function explainAll(): ExplainEntry[] {
  const signatures = CATALOGUE.map((s) => signatureEntry(s.id));
  const kinds = INCIDENT_KINDS.filter((k) => !SIGNATURE_IDS.has(k)).map(kindEntry);
  return [...signatures, ...kinds, ...KNOWN_LINES.map((l) => knownEntry(l))];
}

/** The rv a query names (`139`, `0x8b`, `rv: 139`), or undefined when it is not an rv. */
export function rvQuery(query: string): number | undefined {
  const text = /^(?:rv[:\s]*)?(0x[0-9a-f]+|\d+)$/i.exec(query.trim())?.[1];
  return text === undefined ? undefined : Number(text);
}

/**
 * Resolves `mqdiag explain <query>`: a signature id, an incident kind, an rv (`139`, `0x8b`), or a pasted log
 * line (matched against every dialect). Returns no entries when nothing fits.
 */
export function explainQuery(query: string): ExplainEntry[] {
  const q = query.trim();
  if (SIGNATURE_IDS.has(q)) return [signatureEntry(q as SignatureId)];
  if (isIncidentKind(q)) return [kindEntry(q)];
  const knownId = KNOWN_LINES.find((l) => l.id === q);
  if (knownId) return [knownEntry(knownId)];
  const rvValue = rvQuery(q);
  if (rvValue !== undefined) {
    const rv = rvMeaning(rvValue);
    if (!rv) return [];
    return [{ ...signatureEntry(NEGO_RVS.has(rv.rv) ? negoSignature(rv.rv) : "parse-error"), rv }];
  }
  const matcher = compileMatcher(["nanomq", "mosquitto", "spec", "ejabberd", "rabbitmq", ...SOURCE_DIALECTS]);
  let matches = matcher.match(q);
  // A line pasted without the function name some messages start with (`parse error rv: 139`).
  for (const lead of MESSAGE_LEADS) {
    if (matches.length > 0) break;
    matches = matcher.match(`${lead}${q}`);
  }
  const entries: ExplainEntry[] = [];
  for (const m of matches) {
    const id = isNegoRv(m) ? negoSignature(Number(m.args.rv)) : m.id;
    if (entries.some((e) => e.id === id)) continue;
    const rv = m.args.rv === undefined ? undefined : rvMeaning(Number(m.args.rv));
    entries.push({ ...signatureEntry(id), matchedText: m.text, ...(rv ? { rv } : {}) });
  }
  if (entries.length > 0) return entries;
  // A line NanoMQ prints that is no incident (`sleep aio error 7`, `pipe id … is gone, pub failed`).
  const known = matchKnownLine(q);
  if (known) return [knownEntry(known.line, known.text)];
  // Part of a message (`kick client due to KeepAlive`): the signatures whose wording contains it.
  const needle = q.toLowerCase();
  if (needle.length < 6) return [];
  const partial = CATALOGUE.filter((sig) => sig.templates.some((t) => t.text.toLowerCase().includes(needle)));
  return partial.map((sig) => signatureEntry(sig.id));
}
