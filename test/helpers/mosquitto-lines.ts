import { NANOMQ_LATEST } from "../../src/core/profile.js";
import { CATALOGUE } from "../../src/signatures/catalogue.js";
import { fillTemplate, findTemplate, templatePattern } from "../../src/signatures/render.js";
import type { SignatureId } from "../../src/signatures/types.js";

/**
 * Recognises mosquitto log lines with the catalogue's own mosquitto-dialect templates (templatePattern), so the
 * tests that compare mqdiag with the real mosquitto read its log the way the classifier does.
 */
export interface RecognisedLine {
  id: SignatureId;
  key: string;
  clientId: string | undefined;
  line: string;
}

const MOSQUITTO_TEMPLATES = CATALOGUE.flatMap((s) =>
  s.templates
    .filter((t) => t.dialect === "mosquitto")
    .map((t) => ({ id: s.id, key: t.key, pattern: templatePattern(t) })),
);

/** The catalogued mosquitto lines in `text`, in order; lines no template knows are left out. */
export function recogniseMosquittoLines(text: string): RecognisedLine[] {
  const found: RecognisedLine[] = [];
  for (const line of text.split("\n")) {
    for (const t of MOSQUITTO_TEMPLATES) {
      const m = t.pattern.exec(line);
      if (m) {
        found.push({ id: t.id, key: t.key, clientId: m.groups?.clientId, line });
        break;
      }
    }
  }
  return found;
}

/** `id/key` of each recognised line of this client (connect lines left out), in order. */
export function signatureTrail(text: string, clientId: string): string[] {
  return recogniseMosquittoLines(text)
    .filter((l) => l.clientId === clientId && l.id !== "client-connected")
    .map((l) => `${l.id}/${l.key}`);
}

/** A RegExp for the mosquitto line of `ref` about this client (templates whose only placeholder is the id). */
export function mosquittoLinePattern(ref: { id: SignatureId; key: string }, clientId: string): RegExp {
  const template = findTemplate(ref.id, ref.key, "mosquitto", NANOMQ_LATEST);
  if (!template) throw new Error(`no mosquitto template for ${ref.id}/${ref.key}`);
  const text = fillTemplate(template.text, { clientId });
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
}
