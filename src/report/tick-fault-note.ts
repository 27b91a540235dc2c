import type { ProfileOptions } from "../core/profile.js";
import { type OnTimeOutcome, periodicPingerOutcome } from "../keepalive/on-time.js";
import { kickDelayAfterLastPacket } from "../keepalive/predict.js";
import { hasTickFault, tickFaultWords } from "../keepalive/tick-fault.js";
import { ON_TIME_PINGS } from "../scenarios/on-time-client.js";
import type { ScenarioRun } from "../scenarios/types.js";
import { secondsRange, wrapText } from "./scenario-layout.js";

/**
 * What the scenario reports say about a SIMULATED tick fault (--tick-jitter / --tick-drift on the nanomq
 * profile): that it is a simulation, and how it moves the kick window and the safe ping interval, against the
 * same profile without it. Nothing when no fault is set.
 */

const SIMULATION =
  "a model of a jittered or drifting nng timer; the real NanoMQ has no such setting, and nothing here was measured on a real broker";

const ON_TIME_WORDS: Record<OnTimeOutcome, string> = {
  survives: `survives ${ON_TIME_PINGS} pings`,
  kicked: `is kicked within ${ON_TIME_PINGS} pings`,
  "may-be-kicked": `is kicked within ${ON_TIME_PINGS} pings under some jitter draws`,
};

/** The scenarios' client keepalive (one --keepalive per run). */
function keepaliveOf(run: ScenarioRun): number | undefined {
  return run.scenarios.flatMap((s) => s.clients).find((c) => c.keepaliveMs > 0)?.keepaliveMs;
}

interface Effect {
  keepaliveMs: number;
  afterLast: { fromMs: number; toMs: number } | null;
  trueAfterLast: { fromMs: number; toMs: number } | null;
  onTime: OnTimeOutcome;
}

function effect(p: ProfileOptions, keepaliveMs: number): Effect {
  const window = (q: ProfileOptions) => {
    const d = kickDelayAfterLastPacket(q, keepaliveMs);
    return d === null ? null : { fromMs: d.minMs, toMs: d.maxMs };
  };
  const { tickFault: _, ...plain } = p;
  return {
    keepaliveMs,
    afterLast: window(p),
    trueAfterLast: window(plain),
    onTime: periodicPingerOutcome(p, keepaliveMs, keepaliveMs, ON_TIME_PINGS).outcome,
  };
}

const range = (w: { fromMs: number; toMs: number } | null) =>
  w === null ? "never" : `${secondsRange(w.fromMs, w.toMs)} s`;

/** Table header lines (empty without a fault). */
export function tickFaultLines(run: ScenarioRun, width: number): string[] {
  const p = run.target.profile;
  if (!hasTickFault(p.tickFault)) return [];
  const lines = wrapText(
    `SIMULATED broker timer fault: ${tickFaultWords(p.tickFault)} — ${SIMULATION}.`,
    width,
    "",
    "  ",
  );
  const ka = keepaliveOf(run);
  if (ka !== undefined) {
    const e = effect(p, ka);
    lines.push(
      ...wrapText(
        `With it, keepalive ${ka / 1000} s: kick ${range(e.afterLast)} after the last packet (${range(e.trueAfterLast)} with the true timer); largest safe ping interval ${e.afterLast ? `${e.afterLast.fromMs / 1000} s` : "∞"} (true timer ${e.trueAfterLast ? `${e.trueAfterLast.fromMs / 1000} s` : "∞"}); a client pinging every ${ka / 1000} s ${ON_TIME_WORDS[e.onTime]}.`,
        width,
        "",
        "  ",
      ),
    );
  }
  return [lines.join("\n")];
}

/** `target.tickFault` of the JSON report (absent without a fault). */
export function tickFaultJson(run: ScenarioRun): Record<string, unknown> {
  const p = run.target.profile;
  if (!hasTickFault(p.tickFault)) return {};
  const f = p.tickFault;
  const ka = keepaliveOf(run);
  const e = ka === undefined ? undefined : effect(p, ka);
  const sec = (w: { fromMs: number; toMs: number } | null) =>
    w === null ? null : { from: w.fromMs / 1000, to: w.toMs / 1000 };
  return {
    tickFault: {
      simulated: true,
      note: SIMULATION,
      jitter: f.jitterMs / 1000,
      drift: f.drift,
      seed: f.seed,
      ...(e
        ? {
            keepalive: e.keepaliveMs / 1000,
            kickAfterLastPacket: sec(e.afterLast),
            kickAfterLastPacketTrueTimer: sec(e.trueAfterLast),
            onTimeClient: { pings: ON_TIME_PINGS, outcome: e.onTime },
          }
        : {}),
    },
  };
}

/** `mqdiag broker`'s stderr note (undefined without a fault). */
export function tickFaultBrokerNote(p: ProfileOptions): string | undefined {
  if (!hasTickFault(p.tickFault)) return undefined;
  return `SIMULATED timer fault: ${tickFaultWords(p.tickFault)} (${SIMULATION})`;
}
