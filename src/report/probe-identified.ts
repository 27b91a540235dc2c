import type { IdentBroker } from "../probe/broker-fingerprints.js";
import type { IdentEvidence, Identified } from "../probe/identify.js";
import { brokerOf, FIX_BROKER_NAMES } from "../signatures/explain-fixes.js";
import { kindEntry } from "../signatures/explain-lookup.js";
import type { Fix } from "../signatures/types.js";
import { fixLine } from "./logs-advice.js";

/** A broker's name in the report; the ones known only from their source are marked so. */
export function identName(b: IdentBroker): string {
  const known = brokerOf(b);
  return known ? FIX_BROKER_NAMES[known] : b;
}

const SIGN_WORDS: Record<IdentEvidence["signal"], string> = {
  "mqtt-versions": "MQTT versions",
  "connack-properties": "CONNACK properties",
  "keepalive-model": "keepalive model",
  takeover: "takeover reply",
};

/** The identification in one line: the broker (or why none), the confidence and the signs that name it. */
export function identifiedLine(id: Identified): string {
  const broker = id.broker;
  if (broker === null) {
    if (id.confidence === "conflicting")
      return `broker: not identified, the signs disagree (${signs(id.evidence)})`;
    const fit = id.candidates.length ? `; not ruled out: ${id.candidates.map(identName).join(", ")}` : "";
    return `broker: not identified, no sign names a known broker${fit}`;
  }
  const naming = id.evidence.filter((e) => e.names.includes(broker));
  const name = identName(broker);
  const basis =
    id.basis !== "from-source" ? "" : name.includes("source") ? ", not run" : ", from its source, not run";
  return `broker: ${name}${basis} (${id.confidence}: ${id.agreeing} of ${id.evidence.length} signs, ${naming
    .map((e) => SIGN_WORDS[e.signal])
    .join(", ")})`;
}

function signs(evidence: readonly IdentEvidence[]): string {
  return evidence
    .filter((e) => e.names.length > 0)
    .map((e) => `${SIGN_WORDS[e.signal]}: ${e.names.map(identName).join(" or ")}`)
    .join("; ");
}

/** The identified broker's own keepalive levers (mqdiag explain keepalive-timeout), none for aedes or no broker. */
export function identifiedFixes(id: Identified): Fix[] {
  const known = id.broker === null ? undefined : brokerOf(id.broker);
  if (!known) return [];
  return kindEntry("keepalive-timeout").fixes.filter((f) => f.broker === known);
}

/** The advice lines for the identified broker. */
export function identifiedAdvice(id: Identified): string[] {
  const broker = id.broker;
  return broker === null ? [] : identifiedFixes(id).map((f) => `${identName(broker)}: ${fixLine(f)}`);
}
