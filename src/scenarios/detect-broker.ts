import { NANOMQ_LATEST, type NanomqVersion, type ProfileOptions, versionAtLeast } from "../core/profile.js";
import { CATALOGUE } from "../signatures/catalogue.js";
import { templatePattern } from "../signatures/render.js";
import type { LineTemplate } from "../signatures/types.js";
import type { DetectedBroker } from "./types.js";

/**
 * Which broker wrote a log, and for NanoMQ which wording era, read from the catalogue's templates: a mosquitto line
 * votes mosquitto, a NanoMQ line votes NanoMQ and narrows the versions to those whose templates word it so (e.g.
 * `parse error rv:` is 0.21.9 or older, `close pipe <id> &` 0.25 or newer). The catalogue's since/until are the
 * only source, so detection and the broker's own wording cannot disagree.
 */
type Range = { since?: NanomqVersion; until?: NanomqVersion };

interface Compiled {
  template: LineTemplate;
  pattern: RegExp;
  anchor: string;
}

let compiled: Compiled[] | undefined;
function templates(): Compiled[] {
  compiled ??= CATALOGUE.flatMap((sig) =>
    sig.templates
      .filter((t) => t.dialect === "nanomq" || t.dialect === "mosquitto")
      .map((t) => ({
        template: t,
        pattern: templatePattern(t),
        anchor: t.text.split(/\{\w+\}/).reduce((a, b) => (b.length > a.length ? b : a), ""),
      })),
  );
  return compiled;
}

const max = (a?: NanomqVersion, b?: NanomqVersion) => (!a ? b : !b ? a : versionAtLeast(a, b) ? a : b);
const min = (a?: NanomqVersion, b?: NanomqVersion) => (!a ? b : !b ? a : versionAtLeast(a, b) ? b : a);

/** Accumulates evidence line by line; `result()` says what the lines so far tell. */
export class BrokerDetector {
  private votes = { nanomq: 0, mosquitto: 0 };
  private range: Range = {};
  private contradicted = false;
  private evidence: { nanomq: string[]; mosquitto: string[] } = { nanomq: [], mosquitto: [] };

  add(line: string): void {
    const hits = templates().filter((c) => line.includes(c.anchor) && c.pattern.test(line));
    if (hits.length === 0) return;
    const mosquitto = hits.some((h) => h.template.dialect === "mosquitto");
    const nanomq = hits.filter((h) => h.template.dialect === "nanomq");
    if (mosquitto && nanomq.length === 0) this.vote("mosquitto", line);
    if (nanomq.length === 0) return;
    this.vote("nanomq", line);
    // The line's versions: the union of the ranges of every template it fits.
    let lineRange: Range | undefined;
    for (const h of nanomq) {
      const r: Range = { since: h.template.since, until: h.template.until };
      lineRange = lineRange
        ? {
            since: lineRange.since && r.since ? min(lineRange.since, r.since) : undefined,
            until: lineRange.until && r.until ? max(lineRange.until, r.until) : undefined,
          }
        : r;
    }
    if (!lineRange || this.contradicted) return;
    const since = max(this.range.since, lineRange.since);
    const until = min(this.range.until, lineRange.until);
    if (since && until && !versionAtLeast(until, since)) {
      this.contradicted = true;
      this.range = {};
      return;
    }
    const narrowed = since !== this.range.since || until !== this.range.until;
    this.range = { since, until };
    if (narrowed && (lineRange.since || lineRange.until)) this.keep("nanomq", line, true);
  }

  private vote(dialect: "nanomq" | "mosquitto", line: string): void {
    this.votes[dialect]++;
    this.keep(dialect, line, false);
  }

  private keep(dialect: "nanomq" | "mosquitto", line: string, front: boolean): void {
    const list = this.evidence[dialect];
    const text = line.trim();
    const at = list.indexOf(text);
    if (at >= 0 && !front) return;
    if (at >= 0) list.splice(at, 1);
    // The lines that narrowed the era come first: they are the ones worth quoting.
    if (front) list.unshift(text);
    else if (list.length < 3) list.push(text);
    if (list.length > 3) list.length = 3;
  }

  result(): DetectedBroker | undefined {
    const { nanomq, mosquitto } = this.votes;
    if (nanomq === mosquitto) return undefined;
    if (mosquitto > nanomq) return { profile: "mosquitto", evidence: this.evidence.mosquitto };
    return {
      profile: "nanomq",
      ...(this.range.since ? { nanomqSince: this.range.since } : {}),
      ...(this.range.until ? { nanomqUntil: this.range.until } : {}),
      evidence: this.evidence.nanomq,
    };
  }
}

/** The profile to run with: the detected dialect and era over the user's (default) options. */
export function detectedProfile(base: ProfileOptions, detected: DetectedBroker | undefined): ProfileOptions {
  if (!detected) return base;
  if (detected.profile === "mosquitto") return { ...base, profile: "mosquitto" };
  // Any version of the range words its lines alike; the newest of it stands for the range.
  return { ...base, profile: "nanomq", nanomqVersion: detected.nanomqUntil ?? NANOMQ_LATEST };
}

/** `0.21.9 or older`, `0.25.0 or newer`, `0.21.10–0.24.999`, `any version`: the era words a report uses. */
export function nanomqEraText(d: DetectedBroker): string {
  const v = (x: NanomqVersion) => x.join(".");
  if (d.nanomqSince && d.nanomqUntil) return `${v(d.nanomqSince)}–${v(d.nanomqUntil)}`;
  if (d.nanomqUntil) return `${v(d.nanomqUntil)} or older`;
  if (d.nanomqSince) return `${v(d.nanomqSince)} or newer`;
  return "version not told by its lines";
}
