import type { FindingOf } from "../probe/findings.js";
import type { Inferred } from "../probe/keepalive-fit-types.js";
import type { FixBroker } from "../signatures/types.js";

/**
 * What to do about a keepalive finding, by the fitted model: NanoMQ's tick is tuned with `mqtt.retry_interval`
 * and `mqtt.keepalive_multiplier`; a broker-wide sweep (mosquitto) is not configurable and only delays kicks;
 * an exact multiplier is judged against 1.5 × keepalive. undefined = nothing to do.
 */
export function keepaliveAdvice(f: FindingOf<"keepalive">): string | undefined {
  const inferred = f.measured.inferred;
  if (inferred.model === "tick" && inferred.tickS !== null)
    return tickAdvice(f.code, inferred.tickS, inferred);
  if (inferred.model === "sweep") return sweepAdvice(f.code, inferred);
  switch (f.code) {
    case "early-kick":
      return "The broker kicks before 1.5× keepalive: healthy clients that ping on time can be dropped. Check its keepalive multiplier.";
    case "early-whole-second":
      return "The broker rounds last-activity time to whole seconds, so it can kick up to 1 s before 1.5× keepalive: clients should ping at keepalive, never lean on the 1.5× grace.";
    case "late-kick":
      return "Dead clients linger past 1.5× keepalive and their wills come late.";
    case "not-kicked":
      return "Silent clients are never dropped: check for a misread multiplier (NanoMQ's old keepalive_backoff=1250) or keepalive disabled.";
  }
  return undefined;
}

/**
 * Whose levers the keepalive advice names, as fix codes of src/signatures/keepalive-fixes.ts: NanoMQ's for a
 * fitted tick, mosquitto's for a sweep, none of either broker's when the model says nothing about the broker.
 * undefined = no advice.
 */
export function keepaliveAdviceFixes(
  f: FindingOf<"keepalive">,
): { broker: FixBroker; fixes: string[] } | undefined {
  if (keepaliveAdvice(f) === undefined) return undefined;
  const model = f.measured.inferred.model;
  if (model === "tick")
    return {
      broker: "nanomq",
      fixes: [
        "nanomq-keepalive-multiplier",
        "nanomq-retry-interval",
        ...(f.code === "not-kicked" ? ["nanomq-keepalive-backoff-trap"] : []),
      ],
    };
  if (model === "sweep")
    return {
      broker: "mosquitto",
      fixes: ["mosquitto-sweep", "mosquitto-client-keepalive", "mosquitto-max-keepalive"],
    };
  return {
    broker: "any",
    fixes: f.code === "early-whole-second" ? ["client-ping-within-keepalive"] : [],
  };
}

function tickAdvice(code: FindingOf<"keepalive">["code"], q: number, inferred: Inferred): string {
  const m = inferred.multiplier;
  const hi = inferred.multiplierRange?.[1] ?? null;
  const mText = m === null ? "M" : String(m);
  const parts = [
    `NanoMQ-style tick: a silent client is kicked at the first tick (every mqtt.retry_interval = ${q} s, the first 1.5 × ${q} s after CONNECT) where idle ticks × ${q} s > keepalive × mqtt.keepalive_multiplier (${mText}), i.e. up to ${2 * q} s more than keepalive × ${mText} after its last packet.`,
  ];
  if (hi !== null && hi <= 1.5) {
    parts.push(
      `keepalive_multiplier ${m ?? `< ${hi}`} is below the spec's 1.5: clients with larger keepalives are kicked before 1.5× keepalive; set mqtt.keepalive_multiplier = 1.5 or more.`,
    );
  }
  if (code === "late-kick" || q >= 5) {
    parts.push(
      `Small keepalives are dominated by the tick (no kick before ${2.5 * q} s): lower mqtt.retry_interval for dead clients to go sooner (it also paces QoS retries).`,
    );
  }
  if (code === "not-kicked") {
    parts.push(
      "Some silent sessions were never kicked: check for the old keepalive_backoff=1250, read as a multiplier of 1250.",
    );
  }
  return parts.join(" ");
}

function sweepAdvice(code: FindingOf<"keepalive">["code"], inferred: Inferred): string | undefined {
  const text = sweepFinding(code, inferred);
  return text === undefined ? undefined : `${text} ${MOSQUITTO_LEVERS}`;
}

/** A sweep's broker is mosquitto's kind: its levers, not NanoMQ's. */
const MOSQUITTO_LEVERS =
  "mosquitto's levers are the client's keepalive (kicked after ⌊1.5 × keepalive⌋ s of silence, up to one sweep later) and max_keepalive (the largest keepalive a client may ask for).";

function sweepFinding(code: FindingOf<"keepalive">["code"], inferred: Inferred): string | undefined {
  const g = inferred.granularityS;
  const every = g === null ? "periodically" : `about every ${g} s`;
  switch (code) {
    case "early-kick":
      return `The broker kicks before 1.5× keepalive, checking ${every}: healthy clients that ping on time can be dropped. Check its keepalive multiplier.`;
    case "early-whole-second":
      return `A broker-wide sweep (${every}, whole-second timestamps, as mosquitto 2.0) can kick up to 1 s before 1.5× keepalive: clients should ping at keepalive, never lean on the 1.5× grace.`;
    case "late-kick":
      return `A broker-wide keepalive sweep runs ${every} (mosquitto: every 6 s, not configurable): dead clients linger up to that long past 1.5× keepalive and their wills come late. The sweep itself cannot be tuned; do not read a late kick as a network fault.`;
    case "not-kicked":
      return "Silent clients are never dropped: check that the broker enforces keepalive at all.";
  }
  return undefined;
}
