import { CATALOGUE } from "./catalogue.js";
import { templatePattern } from "./render.js";
import type { Dialect, LineTemplate, SignatureId } from "./types.js";

/** One catalogue message found in a line. `args` are the template's placeholders as the line filled them. */
export interface SignatureMatch {
  id: SignatureId;
  key: string;
  dialect: Dialect;
  /** Where in the searched text the message starts (a merged NanoMQ console line can hold several). */
  index: number;
  text: string;
  args: Record<string, string>;
}

interface CompiledTemplate {
  id: SignatureId;
  template: LineTemplate;
  /** The longest literal piece of the template: a cheap `includes` gate before the RegExp runs. */
  anchor: string;
  pattern: RegExp;
  /** The template ends in free text (`{reason}`): cut it where the next message of the line starts. */
  freeTail: string | undefined;
  /** Characters of literal text: of two templates matching the same text, the one with more is more specific. */
  literal: number;
}

export interface Matcher {
  readonly dialects: readonly Dialect[];
  /**
   * Every catalogue message in `text` at or after index `from`, in order of position. `anchors`, when the caller has
   * already found every template anchor (longest literal) that `text` holds (the log reader's byte search): only
   * their templates are tried.
   */
  match(text: string, from?: number, anchors?: readonly string[]): SignatureMatch[];
}

/** A merged console line: another NanoMQ line's prefix starting mid-line ends the free text before it. */
const MERGED_PREFIX = /\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \[\d+\]/;

function compile(id: SignatureId, template: LineTemplate): CompiledTemplate {
  const literals = template.text.split(/\{\w+\}/);
  const anchor = literals.reduce((a, b) => (b.length > a.length ? b : a), "");
  const tail = /\{(reason|topic)\}$/.exec(template.text);
  let source = templatePattern(template).source;
  if (tail) {
    // A second copy of the same message later in the line (merged threads) ends this one's free text.
    const lead = escapeRegExp(literals[0] ?? "");
    source = source.replace(/\.\*\??\)$/, `.*?)(?=${lead}|$)`);
  }
  const literal = literals.reduce((n, l) => n + l.length, 0);
  return { id, template, anchor, pattern: new RegExp(source, "g"), freeTail: tail?.[1], literal };
}

/**
 * Compiles every catalogue template of `dialects` (from the same text the broker renders, via templatePattern, so
 * broker wording and classifier cannot drift apart). `match` finds them as substrings anywhere in a line.
 */
export function compileMatcher(dialects: readonly Dialect[]): Matcher {
  const seen = new Set<string>();
  const compiled: CompiledTemplate[] = [];
  for (const sig of CATALOGUE) {
    for (const t of sig.templates) {
      const key = `${sig.id}\0${t.key}\0${t.dialect}\0${t.text}`;
      if (!dialects.includes(t.dialect) || seen.has(key)) continue;
      seen.add(key);
      compiled.push(compile(sig.id, t));
    }
  }
  // The templates of each anchor, in catalogue order, for a caller that knows which anchors a line holds.
  const byAnchor = new Map<string, CompiledTemplate[]>();
  for (const c of compiled) byAnchor.set(c.anchor, [...(byAnchor.get(c.anchor) ?? []), c]);
  const order = new Map(compiled.map((c, i) => [c, i]));
  // One pass over the line for any anchor at all: most lines of a real log carry no catalogue message.
  const gate = new RegExp([...new Set(compiled.map((c) => escapeRegExp(c.anchor)))].join("|"), "g");
  return {
    dialects,
    match(text, from = 0, anchors) {
      let candidates = compiled;
      if (anchors) {
        const some = new Set<CompiledTemplate>();
        for (const a of anchors) for (const c of byAnchor.get(a) ?? []) some.add(c);
        if (some.size === 0) return [];
        candidates = [...some];
        if (candidates.length > 1) candidates.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      } else {
        gate.lastIndex = from;
        if (!gate.test(text)) return [];
      }
      let found: SignatureMatch[] | undefined;
      const specificity = new Map<SignatureMatch, number>();
      for (const c of candidates) {
        if (!text.includes(c.anchor, from)) continue;
        c.pattern.lastIndex = from;
        for (let m = c.pattern.exec(text); m !== null; m = c.pattern.exec(text)) {
          found ??= [];
          const match: SignatureMatch = {
            id: c.id,
            key: c.template.key,
            dialect: c.template.dialect,
            index: m.index,
            text: m[0],
            args: { ...m.groups },
          };
          const elsewhere = c.template.clientIdElsewhere;
          if (elsewhere && match.args.clientId === undefined)
            match.args.clientId = elsewhere.pattern.exec(text)?.[1] ?? elsewhere.absent;
          found.push(match);
          specificity.set(match, c.literal);
          if (m[0].length === 0) c.pattern.lastIndex++;
        }
      }
      if (!found) return [];
      found.sort((a, b) => a.index - b.index);
      trimFreeTails(found, compiled);
      return dropNested(found, specificity);
    },
  };
}

/** A free-text tail (`nni aio recv error!! {reason}`) runs to the end of the line: cut it at the next message. */
function trimFreeTails(found: SignatureMatch[], compiled: CompiledTemplate[]): void {
  for (let i = 0; i < found.length; i++) {
    const m = found[i] as SignatureMatch;
    const tailName = compiled.find((c) => c.id === m.id && c.template.key === m.key)?.freeTail;
    if (!tailName) continue;
    let end = m.index + m.text.length;
    const next = found.slice(i + 1).find((n) => n.index > m.index);
    if (next) end = Math.min(end, next.index);
    let text = m.text.slice(0, end - m.index);
    const merged = MERGED_PREFIX.exec(text);
    if (merged) text = text.slice(0, merged.index);
    const value = m.args[tailName] ?? "";
    const cut = value.length - (m.text.length - text.length);
    m.args[tailName] = value.slice(0, Math.max(0, cut)).trim();
    m.text = text.trimEnd();
  }
}

/**
 * Two templates can match the same text: a message inside a longer one (keep the longer), or the very same text
 * (`connect nego error rv: Timed out(5)` fits a specific and a generic wording: keep the one with more literal
 * text, the first of the catalogue on a tie), so each message of a line is reported once.
 */
function dropNested(found: SignatureMatch[], specificity: Map<SignatureMatch, number>): SignatureMatch[] {
  const spec = (m: SignatureMatch) => specificity.get(m) ?? 0;
  return found.filter((m, i) =>
    found.every((o, j) => {
      if (o === m || o.index > m.index || o.index + o.text.length < m.index + m.text.length) return true;
      if (o.text.length > m.text.length) return false;
      if (o.text.length < m.text.length || o.index !== m.index) return true;
      return spec(o) < spec(m) || (spec(o) === spec(m) && j > i);
    }),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
