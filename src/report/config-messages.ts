import type { ConfigFinding } from "../config/config-finding.js";
import { durationText } from "../core/seconds.js";

/** Seconds for prose: 80000 → "80 s", 75025000 → "20.8 h". */
export function humanMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "never";
  if (ms >= 7_200_000) return `${Number((ms / 3_600_000).toFixed(1))} h`;
  return durationText(ms);
}

const str = (v: string | number | null | undefined) => (v === null || v === undefined ? "-" : String(v));
/** The default a finding falls back to: a duration (ms) for the retry interval keys, a plain number otherwise. */
const using = (a: ConfigFinding["args"]) =>
  /(retry_interval|qos_duration)$/.test(String(a.key)) ? humanMs(a.using as number) : str(a.using);

const neverFrom = (a: ConfigFinding["args"]) =>
  a.neverFromKeepaliveS === null || a.neverFromKeepaliveS === undefined
    ? ""
    : `, and one with keepalive ${str(a.neverFromKeepaliveS)} s or more never (NanoMQ's idle-tick counter is 16 bits and wraps)`;

const IGNORED_WHY: Record<string, string> = {
  "bare-number": "a bare number: it takes only a duration string such as 10s",
  "not-a-number": "it takes only a number",
  "not-positive": "it takes only a number above 0",
};

function coercedHint(a: ConfigFinding["args"]): string {
  const v = String(a.value);
  if (/ms$/.test(v.trim())) return " (its unit is the first letter only: m = minutes)";
  if (/^\s*\./.test(v)) return " (its HOCON scanner drops a leading dot: write 0.5)";
  if (/qos_duration/.test(String(a.key))) return " (atoi: whole seconds, no unit, nothing after the digits)";
  if (/keepalive_backoff/.test(String(a.key))) return " (atof: the leading number only)";
  return "";
}

/** One line of words per finding code: the only place config findings become prose. */
export function configFindingMessage(f: ConfigFinding): string {
  const a = f.args;
  switch (f.code) {
    case "keepalive-backoff-trap":
      return `${str(a.key)}=${str(a.value)} (line ${str(a.line)}) is read as a multiplier of ${str(a.multiplier)}, not ${str(a.likelyMeant)} (NanoMQ's --old_conf reader takes it with atof, unscaled): a client with keepalive ${str(a.keepaliveS)} s is kicked only ${humanMs(a.kickAfterMs as number | null)} after its last packet${neverFrom(a)}, i.e. practically never. Write keepalive_backoff=${str(a.likelyMeant)} (or, in the HOCON format, mqtt.keepalive_multiplier = ${str(a.likelyMeant)}).`;
    case "multiplier-disables-keepalive":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}): a client with keepalive ${str(a.keepaliveS)} s is kicked only ${humanMs(a.kickAfterMs as number | null)} after its last packet${neverFrom(a)}, i.e. practically never. Did you mean ${str(a.likelyMeant)}?`;
    case "retry-interval-zero":
      return a.key === null
        ? "the retry interval is 0 s: NanoMQ never kicks a client for its keepalive, and its per-connection timer spins."
        : `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) is read as 0 s: NanoMQ's kick test n·Q > KA·M is then never true, so no client is ever kicked for its keepalive, and each connection's timer re-arms at once. Write a whole number of seconds${/qos_duration/.test(String(a.key)) ? " (qos_duration=10)" : " with a unit (retry_interval = 10s)"}.`;
    case "compliant-client-kicked":
      return `keepalive ${str(a.keepaliveS)} s: a gap of only ${humanMs(a.largestSafeIntervalMs as number)} is always safe, so a client that pings every keepalive, as the spec allows, can be kicked. Raise the multiplier to at least 1.`;
    case "kick-before-spec-deadline":
      return `keepalive ${str(a.keepaliveS)} s: a client can be kicked ${humanMs(a.earliestKickMs as number)} after its last packet, before the spec's 1.5 × keepalive (${humanMs(a.specDeadlineMs as number)}). Clients that ping every keepalive are not affected.`;
    case "multiplier-default":
      return `${str(a.key)} is not set: NanoMQ's code default ${str(a.using)} applies (the shipped nanomq.conf sets ${str(a.shipped)}).`;
    case "value-invalid":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) is not a duration NanoMQ reads (digits then s, m, h or d, like 10s): its reader stores 0 s.`;
    case "value-ignored":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) is skipped by NanoMQ's HOCON reader (${IGNORED_WHY[String(a.why)] ?? "not readable"}); its default ${using(a)} applies.`;
    case "value-rejected":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}): NanoMQ's HOCON parser cannot read this unquoted ${String(a.value).includes("${") ? "substitution" : "value"} and rejects the whole file ("Parser syntax error"): 0.25.3 exits at start-up, 0.21.9 ignores the file and runs on its defaults (10 s, 1.5). ${String(a.value).includes("${") ? "Write the value itself." : `Quote it: "${str(a.value)}".`}`;
    case "value-coerced":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) is read by NanoMQ as ${a.unit === "ms" ? humanMs(a.readAs as number) : str(a.readAs)}${coercedHint(a)}.`;
    case "key-overridden":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) is not the value NanoMQ uses: it takes line ${str(a.usedLine)}${a.format === "hocon" ? " (its HOCON reader merges repeated mqtt blocks keeping the FIRST block's value, and a dotted mqtt.… key loses to any block)" : " (the last line wins)"}.`;
    case "flat-format":
      return `the old flat format (line ${str(a.line)}: ${str(a.key)}): NanoMQ reads it only when started with --old_conf <file>. Started with --conf or no flag, its HOCON reader ignores qos_duration and keepalive_backoff (10 s and 1.5 apply), and 0.25.3 refuses a file like the shipped nanomq_old.conf outright (HOCON syntax error, exit 1).`;
    case "format-forced":
      return `read as the flat format (--old-conf), but the file is HOCON (line ${str(a.line)}${a.key === null ? ": a { } block" : `: ${str(a.key)}`}): NanoMQ's --old_conf reader takes only key=value lines, so mqtt { … } settings are not read.`;
    case "value-unresolved":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) is a HOCON substitution, which NanoMQ's parser does not support: it stops with "Parser syntax error" (0.25.3 exits at start-up, 0.21.9 runs on its defaults). The numbers below assume NanoMQ's default ${using(a)}; write the value itself.`;
    case "include-not-read":
      return `line ${str(a.line)}: include ${str(a.target)} is not followed; if it sets the keepalive keys, run mqdiag config on it too. NanoMQ must find it: a missing include crashed both 0.21.9 and 0.25.3 (segmentation fault) when reading the shipped nanomq_example.conf.`;
    case "key-ignored":
      return `${str(a.key)} (line ${str(a.line)}) is not read in the ${str(a.format)} format; NanoMQ reads ${str(a.reads)}${a.flatKey ? " (if NanoMQ is started with --old_conf, run mqdiag config --old-conf)" : ""}.`;
    case "value-unreadable":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) is not a value ${a.broker === "emqx" ? "EMQX" : "mosquitto"} reads${a.broker === "emqx" ? "" : " (whole seconds, 0 to 65535)"}: it refuses to start with it.`;
    case "emqx-keepalive-backoff":
      return a.multiplier === null
        ? `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) is deprecated: EMQX turns it into keepalive_multiplier = 2 × ${str(a.value)} = ${str(a.effective)}. Write mqtt.keepalive_multiplier = ${str(a.effective)} instead.`
        : Number(a.multiplier) === 1.5
          ? `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) beats keepalive_multiplier = 1.5 (line ${str(a.multiplierLine)}): EMQX takes a multiplier of exactly 1.5 for "not set" and uses 2 × backoff = ${str(a.effective)}. Remove keepalive_backoff.`
          : `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) is ignored: keepalive_multiplier = ${str(a.multiplier)} (line ${str(a.multiplierLine)}) is set and is not 1.5, so EMQX uses it. Remove keepalive_backoff.`;
    case "emqx-multiplier-out-of-range":
      return `the keepalive multiplier EMQX ends up with, ${str(a.value)}, is outside ${str(a.min)}–${str(a.max)}: EMQX rejects the config (keepalive_multiplier_out_of_range)${Number(a.value) < 1 ? "; a keepalive_backoff below 0.5 does this" : ""}.`;
    case "emqx-check-interval-ms":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}) is a bare number: EMQX reads it as MILLISECONDS, clamped up to 1 s. Write it with a unit (30s).`;
    case "emqx-check-interval-clamped":
      return `keepalive_check_interval ${humanMs(a.configuredMs as number)} is longer than half these keepalives, so EMQX checks at KA/2 (at least 1 s): ${str(a.keepalives)}.`;
    case "emqx-zone-override":
      return `${str(a.key)} = ${str(a.value)} (line ${str(a.line)}): listeners in this zone use it instead of the mqtt { } value shown here; run the numbers for it with a copy of the file.`;
    case "emqx-server-keepalive":
      return `mqtt.server_keepalive = ${str(a.value)} (line ${str(a.line)}): EMQX gives every MQTT 5 client a keepalive of ${str(a.value)} s whatever it asked (CONNACK Server Keep Alive), kicked ${humanMs(a.minMs as number | null)} – ${humanMs(a.maxMs as number | null)} after its last packet; MQTT 3.1.1 clients keep their own.`;
    case "emqx-before-5.7.2":
      return `the numbers are for EMQX 5.7.2 and later. Before it (5.0.26 – 5.7.1) one timer of KA × ${str(a.multiplier)} kicks at its first fire with nothing new since the previous one: 1× to 2× KA × ${str(a.multiplier)} after the last packet (the "before 5.7.2" column, emqx#11685). From EMQX's source, not run.`;
    case "mosquitto-max-keepalive-small":
      return Number(a.value) === 0
        ? `max_keepalive 0 (line ${str(a.line)}): no cap since 2.0.13; mosquitto up to 2.0.12 refuses to start with it (it took 10–65535).`
        : `max_keepalive ${str(a.value)} (line ${str(a.line)}): mosquitto up to 2.0.12 refuses to start with a value under 10; later versions cap clients at ${str(a.value)} s.`;
    case "mosquitto-max-keepalive-default":
      return "max_keepalive is not set: mosquitto 2.0.16 and later cap nothing (default 0). Up to 2.0.15 the default is 65535, which only catches keepalive 0: an MQTT 5 client asking 0 is given 65535 s, and on 2.0.12 – 2.0.15 an MQTT 3.1.1 client asking 0 is refused (CONNACK 2).";
    case "mosquitto-max-keepalive-caps":
      return `max_keepalive ${str(a.value)} (line ${str(a.line)}) caps clients asking keepalive ${str(a.keepalives)}: an MQTT 5 client is told ${str(a.value)} s (Server Keep Alive) and kicked ${humanMs(a.minMs as number | null)} – ${humanMs(a.maxMs as number | null)} after its last packet; an MQTT 3.1.1 client is refused (CONNACK 2) since 2.0.12 and keeps its own keepalive before (2.0.11, measured here, is unaffected).`;
    case "syntax":
      return `line ${str(a.line)}: ${String(a.problem).replaceAll("-", " ")}; the rest of the file was still read, but NanoMQ's HOCON parser may refuse the file (0.25.3 then exits, 0.21.9 runs on its defaults).`;
  }
}
