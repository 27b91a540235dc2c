import { NANOMQ_LATEST } from "../core/profile.js";
import { round } from "../core/round.js";
import { mosquittoDelayAfterLastPacket } from "../keepalive/predict-mosquitto.js";
import { nanomqDelayAfterConnect, nanomqDelayAfterLastPacket } from "../keepalive/predict-nanomq.js";
import type { DelayWindow } from "../keepalive/predict-types.js";
import { wholeSecondKick } from "./keepalive-fit.js";
import type { Inferred } from "./keepalive-fit-types.js";
import { SPEC_MULTIPLIER } from "./keepalive-window.js";

/** Seconds: a kick comes after more than `min` and at most `max` (equal when exact). */
export interface Span {
  min: number;
  max: number;
}

/**
 * `--keepalive <s>`: when the fitted model kicks a client with this keepalive. `afterConnect` for a client silent
 * since its CONNECT, `afterLastPacket` for one that goes silent later (tick or sweep phase unknown),
 * `safeInterval` the longest gap between the client's packets that is never kicked, `beforeSpec` whether a kick
 * can come before 1.5 × keepalive [MQTT-3.1.2-24] (3.1.1). `code`: `predicted`, `range` (the multiplier is
 * still a range: the spans cover all of it), `never` (this keepalive is not enforced), `unknown` (no model fit).
 */
export interface KeepaliveAnswer {
  keepalive: number;
  model: Inferred["model"];
  code: "predicted" | "range" | "never" | "unknown";
  afterConnect: Span | null;
  afterLastPacket: Span | null;
  safeInterval: number | null;
  beforeSpec: boolean | null;
}

export function keepaliveAnswer(inferred: Inferred, keepalive: number): KeepaliveAnswer {
  const base = { keepalive, model: inferred.model };
  const unknown: KeepaliveAnswer = {
    ...base,
    code: "unknown",
    afterConnect: null,
    afterLastPacket: null,
    safeInterval: null,
    beforeSpec: null,
  };
  const windows = predict(inferred, keepalive);
  if (windows === undefined) return unknown;
  if (windows === null) return { ...unknown, code: "never" };
  const { afterConnect, afterLastPacket, range } = windows;
  return {
    ...base,
    code: range ? "range" : "predicted",
    afterConnect,
    afterLastPacket,
    safeInterval: afterLastPacket.min,
    beforeSpec: afterLastPacket.min < SPEC_MULTIPLIER * keepalive,
  };
}

type Windows = { afterConnect: Span; afterLastPacket: Span; range: boolean };

/** undefined = no model to answer from; null = never kicked. */
function predict(inferred: Inferred, keepalive: number): Windows | null | undefined {
  const ms = keepalive * 1000;
  switch (inferred.model) {
    case "tick": {
      const [lo, hi] = inferred.multiplierRange ?? [null, null];
      if (inferred.tickS === null || lo === null) return undefined;
      // the ends of the multiplier range: M = lo and just under hi (N = ⌊KA·M/Q⌋ + 1 is constant within pieces)
      const ms0 = [lo, hi === null ? lo : Math.max(lo, hi - 1e-6)];
      const p = (m: number) => ({
        retryIntervalMs: (inferred.tickS as number) * 1000,
        keepaliveMultiplier: m,
        nanomqVersion: NANOMQ_LATEST,
      });
      const after = ms0.map((m) => nanomqDelayAfterLastPacket(p(m), ms));
      const connect = ms0.map((m) => nanomqDelayAfterConnect(p(m), ms));
      if (after.some((w) => w === null) || connect.some((w) => w === null)) return null;
      return {
        afterLastPacket: span(after as DelayWindow[]),
        afterConnect: span(connect as DelayWindow[]),
        range: hi === null || inferred.open.some((o) => o.parameter === "multiplier"),
      };
    }
    case "exact": {
      if (inferred.multiplier === null) return undefined;
      if (keepalive === 0) return null;
      const at = inferred.wholeSeconds
        ? wholeSecondKick(inferred.multiplier, keepalive, inferred.wholeSeconds)
        : round(inferred.multiplier * keepalive, 3);
      return { afterConnect: { min: at, max: at }, afterLastPacket: { min: at, max: at }, range: false };
    }
    case "sweep": {
      const g = inferred.granularityS;
      const m = inferred.multiplier;
      if (g === null || m === null) return undefined;
      if (keepalive === 0) return null;
      const [lo, hi] = inferred.multiplierRange ?? [m, m];
      // mosquitto 2.0's arithmetic when the fit is its (6 s sweep, 1.5 in whole seconds): its own predictor
      const mosquitto = Math.abs(g - 6) <= 0.5 && lo <= 1.5 && (hi === null || hi >= 1.5);
      const w = mosquitto
        ? (mosquittoDelayAfterLastPacket(ms) as DelayWindow)
        : { minMs: m * ms, maxMs: (m * keepalive + g) * 1000, exact: false };
      const s = span([w]);
      return { afterConnect: s, afterLastPacket: s, range: false };
    }
    default:
      return undefined;
  }
}

function span(windows: readonly DelayWindow[]): Span {
  return {
    min: round(Math.min(...windows.map((w) => w.minMs)) / 1000, 3),
    max: round(Math.max(...windows.map((w) => w.maxMs)) / 1000, 3),
  };
}
