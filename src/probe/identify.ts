import { sourceDelayAfterConnect } from "../keepalive/predict-source.js";
import {
  brokerEvidence,
  CONFIGURED_PROPERTIES,
  type ConnackPrint,
  connackPrints,
  FIT_MODEL_BROKER,
  IDENT_BROKERS,
  type IdentBroker,
  MQTT311_ONLY,
  sourceModels,
  takeoverReplies,
} from "./broker-fingerprints.js";
import { ownFinding, type ProbeFinding } from "./findings.js";
import type { KeepaliveGroup } from "./keepalive-fingerprint.js";
import type { ModelName } from "./keepalive-fit-types.js";
import { fitToleranceS } from "./keepalive-fit-types.js";
import { specLimitS } from "./keepalive-window.js";

/**
 * One independent sign of the broker. `names`: the brokers it points to (their known behaviour and only theirs);
 * `allows`: the brokers it does not rule out (`names` plus those whose behaviour here is not known, or shared with
 * the spec). A sign every spec-following broker would show names nobody.
 */
interface Sign {
  names: IdentBroker[];
  allows: IdentBroker[];
}

export type IdentEvidence =
  | (Sign & { signal: "mqtt-versions"; mqtt5: "accepted" | "refused" })
  | (Sign & {
      signal: "connack-properties";
      order: string[];
      matched: Omit<ConnackPrint, "properties"> | null;
    })
  | (Sign & {
      signal: "keepalive-model";
      model: ModelName;
      /** The src/keepalive models the kicks fit (e.g. "aedes", "emqx-5.0.26"), besides the fitted family. */
      fits: string[];
      /** The kicks are 1.5 × keepalive, as the spec asks: every spec-following broker shows them. */
      specLike: boolean;
    })
  | (Sign & { signal: "takeover"; reasonCode: number | null });

/**
 * high: three or more signs name the broker; medium: two; low: one; none: no broker named (the signs fit no
 * known broker, or fit several); conflicting: the signs rule each other's brokers out.
 */
export type IdentConfidence = "high" | "medium" | "low" | "none" | "conflicting";

export interface Identified {
  broker: IdentBroker | null;
  /** "from-source": the broker's behaviour was read from its source, never run (EMQX, HiveMQ, VerneMQ). */
  basis: "measured" | "from-source" | null;
  confidence: IdentConfidence;
  /** How many signs name the broker. */
  agreeing: number;
  /** The brokers no sign rules out. */
  candidates: IdentBroker[];
  evidence: IdentEvidence[];
}

const ALL: readonly IdentBroker[] = IDENT_BROKERS;
const without = (out: readonly IdentBroker[]) => ALL.filter((b) => !out.includes(b));

/** Which broker the probe talked to, from the findings of connect, keepalive and takeover (pure). */
export function identifyBroker(checks: readonly ProbeFinding[]): Identified {
  const evidence = [
    versionsSign(checks),
    connackSign(checks),
    keepaliveSign(checks),
    takeoverSign(checks),
  ].filter((e): e is IdentEvidence => e !== null);
  const candidates = ALL.filter((b) => evidence.every((e) => e.allows.includes(b)));
  const named = (b: IdentBroker) => evidence.filter((e) => e.names.includes(b)).length;
  const ranked = candidates.map((b) => ({ b, n: named(b) })).sort((x, y) => y.n - x.n);
  const [top, next] = ranked;
  const anyNamed = evidence.some((e) => e.names.length > 0);
  if (candidates.length === 0)
    return {
      broker: null,
      basis: null,
      confidence: anyNamed ? "conflicting" : "none",
      agreeing: 0,
      candidates,
      evidence,
    };
  if (!top || top.n === 0 || (next && next.n === top.n))
    return { broker: null, basis: null, confidence: "none", agreeing: 0, candidates, evidence };
  const confidence: IdentConfidence = top.n >= 3 ? "high" : top.n === 2 ? "medium" : "low";
  return { broker: top.b, basis: brokerEvidence(top.b), confidence, agreeing: top.n, candidates, evidence };
}

function versionsSign(checks: readonly ProbeFinding[]): IdentEvidence | null {
  const c = ownFinding(checks, "connect");
  if (c?.code !== "connected") return null;
  const v5 = c.measured.versions["5"];
  if (!v5 || (!c.measured.versions["3.1.1"] && !v5.accepted)) return null;
  if (v5.accepted)
    return { signal: "mqtt-versions", mqtt5: "accepted", names: [], allows: without(MQTT311_ONLY) };
  return { signal: "mqtt-versions", mqtt5: "refused", names: [...MQTT311_ONLY], allows: [...MQTT311_ONLY] };
}

function connackSign(checks: readonly ProbeFinding[]): IdentEvidence | null {
  const c = ownFinding(checks, "connect");
  if (c?.code !== "connected" || c.measured.mqttVersion !== "5") return null;
  const props = c.measured.properties;
  const order = Object.keys(props);
  const print = connackPrints(c.measured.serverKeepAlive ?? undefined).find((p) =>
    sameSet(p.properties, props),
  );
  if (print) {
    const { properties: _, ...matched } = print;
    return { signal: "connack-properties", order, matched, names: [print.broker], allows: [print.broker] };
  }
  const known = new Set(connackPrints(undefined).map((p) => p.broker));
  return {
    signal: "connack-properties",
    order,
    matched: null,
    names: [],
    allows: without([...known, ...MQTT311_ONLY]),
  };
}

/** The same properties in the same order, with the same values but for the configured ones. */
function sameSet(a: object, b: object): boolean {
  const ea = Object.entries(a);
  const eb = Object.entries(b);
  return (
    ea.length === eb.length &&
    ea.every(([k, v], i) => eb[i]?.[0] === k && (CONFIGURED_PROPERTIES.has(k) || eb[i]?.[1] === v))
  );
}

function keepaliveSign(checks: readonly ProbeFinding[]): IdentEvidence | null {
  const k = ownFinding(checks, "keepalive");
  if (!k || k.code === "no-session") return null;
  const { model } = k.measured.inferred;
  if (model === "tick" || model === "sweep") {
    const b = FIT_MODEL_BROKER[model];
    if (!b) return null;
    return { signal: "keepalive-model", model, fits: [], specLike: false, names: [b], allows: [b] };
  }
  const groups = k.measured.groups.filter((g): g is KeepaliveGroup & { median: number } => g.median !== null);
  if (groups.length === 0 || model === "unknown") return null;
  const within = (g: { keepalive: number; median: number }, lo: number, hi: number) =>
    g.median >= lo - fitToleranceS(g.median) && g.median <= hi + fitToleranceS(g.median);
  const fitting = sourceModels().filter(({ model: m }) =>
    groups.every((g) => {
      const d = sourceDelayAfterConnect(m, g.keepalive * 1000);
      return d !== null && within(g, d.minMs / 1000, d.maxMs / 1000);
    }),
  );
  const brokers = [...new Set(fitting.map((f) => f.broker))];
  const specLike = groups.every((g) => within(g, specLimitS(g.keepalive), specLimitS(g.keepalive)));
  return {
    signal: "keepalive-model",
    model,
    fits: fitting.map((f) => f.label),
    specLike,
    names: specLike ? [] : brokers,
    allows: brokers,
  };
}

function takeoverSign(checks: readonly ProbeFinding[]): IdentEvidence | null {
  const t = ownFinding(checks, "takeover");
  const c = ownFinding(checks, "connect");
  if (t?.code !== "first-closed" || c?.code !== "connected" || c.measured.mqttVersion !== "5") return null;
  const reasonCode = t.measured.reasonCode;
  const replies = takeoverReplies();
  const knownReply = (Object.keys(replies) as IdentBroker[]).filter((b) => replies[b] !== undefined);
  const names = knownReply.filter((b) => replies[b] === reasonCode);
  return {
    signal: "takeover",
    reasonCode,
    names,
    allows: [...names, ...without([...knownReply, ...MQTT311_ONLY])],
  };
}
