import { formatSeconds, seconds } from "../core/seconds.js";
import type {
  BrokerClosedArgs,
  Check,
  ClientOutcomeArgs,
  KickArgs,
  SignatureSeenArgs,
} from "../scenarios/check.js";
import type { SkipReason } from "../scenarios/types.js";
import { raceCheckText } from "./network-race-words.js";

/** The one place scenario check codes and skip reasons become words. */
export function checkText(c: Check): string {
  switch (c.code) {
    case "signature-seen": {
      const a = c.args;
      return c.ok
        ? `${a.id}${detailText(a)} seen at ${fmtS(a.atMs)}`
        : `${a.id}${detailText(a)} expected but not seen`;
    }
    case "signature-absent": {
      const a = c.args;
      return c.ok ? `no ${a.id}, as expected` : `${a.id} seen at ${fmtS(a.atMs)} but not expected`;
    }
    case "control-not-kicked": {
      const a = c.args;
      if (a.simulatedKick)
        return `the healthy control client was kicked at ${fmtS(a.closedAtMs)}, as the simulated tick fault allows`;
      return c.ok
        ? "the healthy control client was not kicked"
        : `the healthy control client was closed at ${fmtS(a.closedAtMs)}`;
    }
    case "kick-in-window":
      return kickText(c.args);
    case "survived": {
      const a = c.args;
      return c.ok
        ? `${a.clientId} pinging every ${a.intervalS} s survived ${a.gaps} gaps`
        : `${a.clientId} pinging every ${a.intervalS} s was kicked`;
    }
    case "broker-closed":
      return brokerClosedText(c.ok, c.args);
    case "client-outcome":
      return outcomeText(c.args);
  }
}

function brokerClosedText(ok: boolean, a: BrokerClosedArgs): string {
  if ("variant" in a)
    return `${a.variant}: broker ${a.closed ? "closed" : "kept"} the connection (expected ${a.expected ? "close" : "open"})`;
  if ("afterS" in a)
    return `broker closed ${a.clientId} after ${fmtNum(a.afterS)} s (expected ${rangeText(a.fromS, a.toS)} s)`;
  return `${a.clientId}: ${ok ? "closed by the broker" : "not closed by the broker"}${a.closeKind ? ` (${a.closeKind})` : ""}`;
}

/** A race step in the race's words; any other outcome as its named values (`clientId: k=v, …`). */
function outcomeText(a: ClientOutcomeArgs): string {
  if (a.race !== undefined) return raceCheckText(a);
  return `${a.clientId}: ${Object.entries(a)
    .filter(([k]) => k !== "clientId")
    .map(([k, v]) => `${k}=${v}`)
    .join(", ")}`;
}

/**
 * `late-ping-1 kicked 85 s after its last packet (model 80–90 s), 145 s after CONNECT (predicted 145 s), ±1.2 s`.
 * The phase-free window after the last packet is shown only when the delay lies in it: a client silent since
 * just after its CONNECT waits for NanoMQ's first tick (1.5·Q) and only the prediction from CONNECT applies.
 */
function kickText(a: KickArgs): string {
  if (!a.kicked) return `${a.clientId} was not kicked`;
  const delay = a.delayS;
  const tol = a.toleranceS;
  const inWindow =
    typeof a.windowMinS === "number" &&
    typeof a.windowMaxS === "number" &&
    delay >= a.windowMinS - tol &&
    delay <= a.windowMaxS + tol;
  const model = inWindow ? ` (model ${rangeText(a.windowMinS, a.windowMaxS)} s)` : "";
  const fromConnect =
    typeof a.predictedFromS === "number"
      ? `, ${fmtNum(a.sinceConnectS)} s after CONNECT (predicted ${rangeText(a.predictedFromS, a.predictedToS)} s)`
      : "";
  return `${a.clientId} kicked ${fmtNum(delay)} s after its last packet${model}${fromConnect}, ±${fmtNum(tol)} s`;
}

function detailText(a: SignatureSeenArgs): string {
  if (a.rv !== undefined) return ` rv ${a.rv}`;
  if (a.reason !== undefined) return ` (${a.reason})`;
  return "";
}

type Num = number | null | undefined;
const fmtNum = (v: Num) => (typeof v === "number" ? String(seconds(v * 1000, 1)) : "?");
const fmtS = (ms: Num) => (typeof ms === "number" ? formatSeconds(ms) : "?");
const rangeText = (from: Num, to: Num) => (from === to ? `${fmtNum(from)}` : `${fmtNum(from)}–${fmtNum(to)}`);

/** Why a scenario was skipped, per reason code. */
const SKIP_REASONS: Record<SkipReason, string> = {
  "fault-needs-embedded-broker":
    "not run: the fault is injected into the embedded broker's retained store, which an external broker does not expose (a well-formed client cannot corrupt a stored message over the wire)",
};

/** Why a scenario was skipped, per reason code; "not run" when it gave none. */
export const skipText = (reason: SkipReason | undefined): string =>
  reason === undefined ? "not run" : SKIP_REASONS[reason];
