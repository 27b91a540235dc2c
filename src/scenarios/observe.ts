import type { BrokerLogLine } from "../broker/types.js";
import { compileMatcher, type Matcher, type SignatureMatch } from "../signatures/matcher.js";
import { isNegoRv, negoSignature } from "../signatures/rv.js";
import type { SignatureId } from "../signatures/types.js";
import type { ObservedSignature } from "./types.js";

/** Lines every connection produces; kept out of a scenario's signature list. */
const NOISE: ReadonlySet<SignatureId> = new Set(["client-connected", "client-offline"]);

let shared: Matcher | undefined;
function matcher(): Matcher {
  shared ??= compileMatcher(["nanomq", "mosquitto", "spec"]);
  return shared;
}

function detailOf(args: Record<string, string>): Record<string, string | number> {
  const detail: Record<string, string | number> = {};
  if (args.rv !== undefined) detail.rv = Number(args.rv);
  if (args.reason !== undefined) detail.reason = args.reason;
  return detail;
}

/** A line of the embedded broker: it already knows the signature and the client; the matcher adds the detail. */
export function observeBrokerLine(line: BrokerLogLine): ObservedSignature | undefined {
  if (line.signature === null || NOISE.has(line.signature)) return undefined;
  const match = matcher()
    .match(line.line)
    .find((m) => m.id === line.signature);
  return {
    id: line.signature,
    at: line.at,
    clientId: line.clientId,
    line: line.line,
    detail: match ? detailOf(match.args) : {},
  };
}

/** NanoMQ prints one `connect nego error rv…` text for every cause: its rv says which (5 timeout, 31 closed, …). */
function idOf(m: SignatureMatch): SignatureId {
  return isNegoRv(m) && m.args.rv !== undefined ? negoSignature(Number(m.args.rv)) : m.id;
}

/**
 * A line of an external broker's log (NanoMQ or mosquitto wording), attributed by the catalogue's templates: the
 * client id when the line names one (mosquitto does), else null. `at` is when it was read, on the scenario clock.
 */
export function observeExternalLine(text: string, at: number): ObservedSignature[] {
  return matcher()
    .match(text)
    .filter((m) => !NOISE.has(m.id))
    .map((m) => ({
      id: idOf(m),
      at,
      // mosquitto names a connection without CONNECT `<unknown>`: that names no client.
      clientId: m.args.clientId !== undefined && !/^<.*>$/.test(m.args.clientId) ? m.args.clientId : null,
      line: text,
      detail: detailOf(m.args),
    }));
}
