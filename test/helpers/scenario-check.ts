import type { Check, CheckCode, SignatureSeenArgs } from "../../src/scenarios/check.js";
import type { ScenarioResult } from "../../src/scenarios/types.js";

type CheckOf<C extends CheckCode> = Extract<Check, { code: C }>;

/** A scenario's first check with this code, its args typed by the code (undefined when it has none). */
export function checkOf<C extends CheckCode>(
  s: Pick<ScenarioResult, "checks"> | undefined,
  code: C,
): CheckOf<C> | undefined {
  return s?.checks.find((c): c is CheckOf<C> => c.code === code);
}

/** The kick-in-window args of a scenario whose client was kicked (undefined otherwise). */
export function kickedArgs(s: Pick<ScenarioResult, "checks"> | undefined) {
  const a = checkOf(s, "kick-in-window")?.args;
  return a?.kicked ? a : undefined;
}

/** The broker-closed args that time the close against a window (afterS, fromS, toS; undefined otherwise). */
export function closedAfterArgs(s: Pick<ScenarioResult, "checks"> | undefined) {
  const a = checkOf(s, "broker-closed")?.args;
  return a && "afterS" in a ? a : undefined;
}

/** A signature-seen check's args (its id, detail and variant); undefined for any other check. */
export const seenArgs = (c: Check): SignatureSeenArgs | undefined =>
  c.code === "signature-seen" ? c.args : undefined;
