import type { SignatureId } from "../signatures/types.js";
import type { Check } from "./check.js";
import type { Expectation, ExpectedSignature, ObservedSignature } from "./types.js";

function ids(e: ExpectedSignature): SignatureId[] {
  return Array.isArray(e.id) ? e.id : [e.id];
}

/** Fleet client ids all start so; a line naming another id (`<unknown>`, a stranger) is not attributed. */
const FLEET_ID_PREFIX = "mqdiag-";

function matches(e: ExpectedSignature, s: ObservedSignature): boolean {
  if (!ids(e).includes(s.id)) return false;
  if (e.clientPrefix !== undefined && s.clientId?.startsWith(FLEET_ID_PREFIX)) {
    if (!s.clientId.startsWith(e.clientPrefix)) return false;
  }
  return Object.entries(e.detail ?? {}).every(([k, v]) => s.detail[k] === v);
}

/** The ids of an expectation, flattened (the JSON `expected` list). */
export function expectedIds(expectation: Expectation): SignatureId[] {
  return [...new Set(expectation.seen.flatMap(ids))];
}

/**
 * One check per expected signature (seen among `subject` lines: the scenario's non-control clients, or lines that
 * name no client) and one per forbidden signature.
 */
export function signatureChecks(expectation: Expectation, subject: readonly ObservedSignature[]): Check[] {
  const seen: Check[] = expectation.seen.map((e) => {
    const hit = subject.find((s) => matches(e, s));
    return {
      code: "signature-seen",
      ok: hit !== undefined,
      essential: true,
      args: {
        id: ids(e).join("|"),
        ...e.detail,
        ...(e.variant !== undefined ? { variant: e.variant } : {}),
        atMs: hit?.at ?? null,
        clientId: hit?.clientId ?? null,
      },
    };
  });
  const absent: Check[] = expectation.absent.map((id) => {
    const hit = subject.find((s) => s.id === id);
    return {
      code: "signature-absent",
      ok: hit === undefined,
      essential: false,
      args: { id, atMs: hit?.at ?? null, clientId: hit?.clientId ?? null },
    };
  });
  return [...seen, ...absent];
}

/** reproduced: every check passed; not-reproduced: an essential one failed; unexpected: only others failed. */
export function verdictOf(checks: readonly Check[]): "reproduced" | "not-reproduced" | "unexpected" {
  if (checks.some((c) => !c.ok && c.essential)) return "not-reproduced";
  if (checks.some((c) => !c.ok)) return "unexpected";
  return "reproduced";
}
