import type { ConfigFinding } from "../config/config-finding.js";

/** Seconds for prose: 80000 → "80 s", 75025000 → "20.8 h". */
export function humanMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "never";
  if (ms >= 7_200_000) return `${Number((ms / 3_600_000).toFixed(1))} h`;
  return `${Number((ms / 1000).toFixed(3))} s`;
}

const str = (v: string | number | null | undefined) => (v === null || v === undefined ? "-" : String(v));
/** The default a finding falls back to: a duration (ms) for the retry interval keys, a plain number otherwise. */
const using = (a: ConfigFinding["args"]) =>
  /(retry_interval|qos_duration)$/.test(String(a.key)) ? humanMs(a.using as number) : str(a.using);

/** One line of words per finding code: the only place config findings become prose. */
export function configFindingMessage(f: ConfigFinding): string {
  const a = f.args;
  switch (f.code) {
    case "keepalive-backoff-trap":
      return `${str(a.key)}=${str(a.value)} (line ${str(a.line)}) is read as a multiplier of ${str(a.multiplier)}, not ${str(a.likelyMeant)}: a client with keepalive ${str(a.keepaliveS)} s is kicked only ${humanMs(a.kickAfterMs as number | null)} after its last packet, i.e. practically never. Write keepalive_backoff=${str(a.likelyMeant)} (or, in the HOCON format, mqtt.keepalive_multiplier = ${str(a.likelyMeant)}).`;
    case "multiplier-disables-keepalive":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}): a client with keepalive ${str(a.keepaliveS)} s is kicked only ${humanMs(a.kickAfterMs as number | null)} after its last packet, i.e. practically never. Did you mean ${str(a.likelyMeant)}?`;
    case "compliant-client-kicked":
      return `keepalive ${str(a.keepaliveS)} s: a gap of only ${humanMs(a.largestSafeIntervalMs as number)} is always safe, so a client that pings every keepalive, as the spec allows, can be kicked. Raise the multiplier to at least 1.`;
    case "kick-before-spec-deadline":
      return `keepalive ${str(a.keepaliveS)} s: a client can be kicked ${humanMs(a.earliestKickMs as number)} after its last packet, before the spec's 1.5 × keepalive (${humanMs(a.specDeadlineMs as number)}). Clients that ping every keepalive are not affected.`;
    case "multiplier-default":
      return `${str(a.key)} is not set: NanoMQ's code default ${str(a.using)} applies (the shipped nanomq.conf sets ${str(a.shipped)}).`;
    case "value-invalid":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) is not a valid value; NanoMQ's default ${using(a)} is assumed.`;
    case "value-unresolved":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) is a substitution mqdiag does not resolve; the numbers below assume NanoMQ's default ${using(a)}.`;
    case "include-not-read":
      return `line ${str(a.line)}: include ${str(a.target)} is not followed; if it sets the keepalive keys, run mqdiag config on it too.`;
    case "key-ignored":
      return `${str(a.key)} (line ${str(a.line)}) is not read in the ${str(a.format)} format; NanoMQ reads ${str(a.reads)}.`;
    case "syntax":
      return `line ${str(a.line)}: ${String(a.problem).replaceAll("-", " ")}; the rest of the file was still read.`;
  }
}
