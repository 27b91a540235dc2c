import type { ConfigFinding, EntryArgs, IgnoredWhy, MultiplierTrapArgs } from "../config/config-finding.js";
import { durationText } from "../core/seconds.js";

/** Seconds for prose: 80000 → "80 s", 75025000 → "20.8 h". */
export function humanMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "never";
  if (ms >= 7_200_000) return `${Number((ms / 3_600_000).toFixed(1))} h`;
  return durationText(ms);
}

const str = (v: string | number | null | undefined) => (v === null || v === undefined ? "-" : String(v));
/** The default a finding falls back to: a duration (ms) for the retry interval keys, a plain number otherwise. */
const using = (a: { key: string; using: number }) =>
  /(retry_interval|qos_duration)$/.test(a.key) ? humanMs(a.using) : str(a.using);

const neverFrom = (a: MultiplierTrapArgs) =>
  a.neverFromKeepaliveS === null
    ? ""
    : `, and one with keepalive ${str(a.neverFromKeepaliveS)} s or more never (NanoMQ's idle-tick counter is 16 bits and wraps)`;

const IGNORED_WHY: Record<IgnoredWhy, string> = {
  "bare-number": "a bare number: it takes only a duration string such as 10s",
  "not-a-number": "it takes only a number",
  "not-positive": "it takes only a number above 0",
};

function coercedHint(a: EntryArgs): string {
  const v = a.value;
  if (/ms$/.test(v.trim())) return " (its unit is the first letter only: m = minutes)";
  if (/^\s*\./.test(v)) return " (its HOCON scanner drops a leading dot: write 0.5)";
  if (/qos_duration/.test(a.key)) return " (atoi: whole seconds, no unit, nothing after the digits)";
  if (/keepalive_backoff/.test(a.key)) return " (atof: the leading number only)";
  return "";
}

/** One line of words per finding code: the only place config findings become prose. */
export function configFindingMessage(f: ConfigFinding): string {
  switch (f.code) {
    case "keepalive-backoff-trap":
      return `${str(f.args.key)}=${str(f.args.value)} (line ${str(f.args.line)}) is read as a multiplier of ${str(f.args.multiplier)}, not ${str(f.args.likelyMeant)} (NanoMQ's --old_conf reader takes it with atof, unscaled): a client with keepalive ${str(f.args.keepaliveS)} s is kicked only ${humanMs(f.args.kickAfterMs)} after its last packet${neverFrom(f.args)}, i.e. practically never. Write keepalive_backoff=${str(f.args.likelyMeant)} (or, in the HOCON format, mqtt.keepalive_multiplier = ${str(f.args.likelyMeant)}).`;
    case "multiplier-disables-keepalive":
      return `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}): a client with keepalive ${str(f.args.keepaliveS)} s is kicked only ${humanMs(f.args.kickAfterMs)} after its last packet${neverFrom(f.args)}, i.e. practically never. Did you mean ${str(f.args.likelyMeant)}?`;
    case "retry-interval-zero":
      return f.args.key === null
        ? "the retry interval is 0 s: NanoMQ never kicks a client for its keepalive, and its per-connection timer spins."
        : `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}) is read as 0 s: NanoMQ's kick test n·Q > KA·M is then never true, so no client is ever kicked for its keepalive, and each connection's timer re-arms at once. Write a whole number of seconds${/qos_duration/.test(f.args.key) ? " (qos_duration=10)" : " with a unit (retry_interval = 10s)"}.`;
    case "compliant-client-kicked":
      return `keepalive ${str(f.args.keepaliveS)} s: a gap of only ${humanMs(f.args.largestSafeIntervalMs)} is always safe, so a client that pings every keepalive, as the spec allows, can be kicked. Raise the multiplier to at least 1.`;
    case "kick-before-spec-deadline":
      return `keepalive ${str(f.args.keepaliveS)} s: a client can be kicked ${humanMs(f.args.earliestKickMs)} after its last packet, before the spec's 1.5 × keepalive (${humanMs(f.args.specDeadlineMs)}). Clients that ping every keepalive are not affected.`;
    case "multiplier-default":
      return `${str(f.args.key)} is not set: NanoMQ's code default ${str(f.args.using)} applies (the shipped nanomq.conf sets ${str(f.args.shipped)}).`;
    case "value-invalid":
      return `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}) is not a duration NanoMQ reads (digits then s, m, h or d, like 10s): its reader stores 0 s.`;
    case "value-ignored":
      return `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}) is skipped by NanoMQ's HOCON reader (${IGNORED_WHY[f.args.why]}); its default ${using(f.args)} applies.`;
    case "value-rejected":
      return `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}): NanoMQ's HOCON parser cannot read this unquoted ${f.args.value.includes("${") ? "substitution" : "value"} and rejects the whole file ("Parser syntax error"): 0.25.3 exits at start-up, 0.21.9 ignores the file and runs on its defaults (10 s, 1.5). ${f.args.value.includes("${") ? "Write the value itself." : `Quote it: "${str(f.args.value)}".`}`;
    case "value-coerced":
      return `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}) is read by NanoMQ as ${f.args.unit === "ms" ? humanMs(f.args.readAs) : str(f.args.readAs)}${coercedHint(f.args)}.`;
    case "key-overridden":
      return `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}) is not the value NanoMQ uses: it takes line ${str(f.args.usedLine)}${f.args.format === "hocon" ? " (its HOCON reader merges repeated mqtt blocks keeping the FIRST block's value, and a dotted mqtt.… key loses to any block)" : " (the last line wins)"}.`;
    case "flat-format":
      return `the old flat format (line ${str(f.args.line)}: ${str(f.args.key)}): NanoMQ reads it only when started with --old_conf <file>. Started with --conf or no flag, its HOCON reader ignores qos_duration and keepalive_backoff (10 s and 1.5 apply), and 0.25.3 refuses a file like the shipped nanomq_old.conf outright (HOCON syntax error, exit 1).`;
    case "format-forced":
      return `read as the flat format (--old-conf), but the file is HOCON (line ${str(f.args.line)}${f.args.key === null ? ": a { } block" : `: ${str(f.args.key)}`}): NanoMQ's --old_conf reader takes only key=value lines, so mqtt { … } settings are not read.`;
    case "value-unresolved":
      return `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}) is a HOCON substitution, which NanoMQ's parser does not support: it stops with "Parser syntax error" (0.25.3 exits at start-up, 0.21.9 runs on its defaults). The numbers below assume NanoMQ's default ${using(f.args)}; write the value itself.`;
    case "include-not-read":
      return `line ${str(f.args.line)}: include ${str(f.args.target)} is not followed; if it sets the keepalive keys, run mqdiag config on it too. NanoMQ must find it: a missing include crashed both 0.21.9 and 0.25.3 (segmentation fault) when reading the shipped nanomq_example.conf.`;
    case "key-ignored":
      return `${str(f.args.key)} (line ${str(f.args.line)}) is not read in the ${str(f.args.format)} format; NanoMQ reads ${str(f.args.reads)}${f.args.flatKey ? " (if NanoMQ is started with --old_conf, run mqdiag config --old-conf)" : ""}.`;
    case "value-unreadable":
      return `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}) is not a value ${f.args.broker === "emqx" ? "EMQX" : "mosquitto"} reads${f.args.broker === "emqx" ? "" : " (whole seconds, 0 to 65535)"}: it refuses to start with it.`;
    case "emqx-keepalive-backoff":
      return f.args.multiplier === null
        ? `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}) is deprecated: EMQX turns it into keepalive_multiplier = 2 × ${str(f.args.value)} = ${str(f.args.effective)}. Write mqtt.keepalive_multiplier = ${str(f.args.effective)} instead.`
        : f.args.multiplier === 1.5
          ? `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}) beats keepalive_multiplier = 1.5 (line ${str(f.args.multiplierLine)}): EMQX takes a multiplier of exactly 1.5 for "not set" and uses 2 × backoff = ${str(f.args.effective)}. Remove keepalive_backoff.`
          : `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}) is ignored: keepalive_multiplier = ${str(f.args.multiplier)} (line ${str(f.args.multiplierLine)}) is set and is not 1.5, so EMQX uses it. Remove keepalive_backoff.`;
    case "emqx-multiplier-out-of-range":
      return `the keepalive multiplier EMQX ends up with, ${str(f.args.value)}, is outside ${str(f.args.min)}–${str(f.args.max)}: EMQX rejects the config (keepalive_multiplier_out_of_range)${f.args.value < 1 ? "; a keepalive_backoff below 0.5 does this" : ""}.`;
    case "emqx-check-interval-ms":
      return `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}) is a bare number: EMQX reads it as MILLISECONDS, clamped up to 1 s. Write it with a unit (30s).`;
    case "emqx-check-interval-clamped":
      return `keepalive_check_interval ${humanMs(f.args.configuredMs)} is longer than half these keepalives, so EMQX checks at KA/2 (at least 1 s): ${str(f.args.keepalives)}.`;
    case "emqx-zone-override":
      return `${str(f.args.key)} = ${str(f.args.value)} (line ${str(f.args.line)}): listeners in this zone use it instead of the mqtt { } value shown here; run the numbers for it with a copy of the file.`;
    case "emqx-server-keepalive":
      return `mqtt.server_keepalive = ${str(f.args.value)} (line ${str(f.args.line)}): EMQX gives every MQTT 5 client a keepalive of ${str(f.args.value)} s whatever it asked (CONNACK Server Keep Alive), kicked ${humanMs(f.args.minMs)} – ${humanMs(f.args.maxMs)} after its last packet; MQTT 3.1.1 clients keep their own.`;
    case "emqx-before-5.7.2":
      return `the numbers are for EMQX 5.7.2 and later. Before it (5.0.26 – 5.7.1) one timer of KA × ${str(f.args.multiplier)} kicks at its first fire with nothing new since the previous one: 1× to 2× KA × ${str(f.args.multiplier)} after the last packet (the "before 5.7.2" column, emqx#11685). From EMQX's source, not run.`;
    case "mosquitto-max-keepalive-small":
      return f.args.value === 0
        ? `max_keepalive 0 (line ${str(f.args.line)}): no cap since 2.0.13; mosquitto up to 2.0.12 refuses to start with it (it took 10–65535).`
        : `max_keepalive ${str(f.args.value)} (line ${str(f.args.line)}): mosquitto up to 2.0.12 refuses to start with a value under 10; later versions cap clients at ${str(f.args.value)} s.`;
    case "mosquitto-max-keepalive-default":
      return "max_keepalive is not set: mosquitto 2.0.16 and later cap nothing (default 0). Up to 2.0.15 the default is 65535, which only catches keepalive 0: an MQTT 5 client asking 0 is given 65535 s, and on 2.0.12 – 2.0.15 an MQTT 3.1.1 client asking 0 is refused (CONNACK 2).";
    case "mosquitto-max-keepalive-caps":
      return `max_keepalive ${str(f.args.value)} (line ${str(f.args.line)}) caps clients asking keepalive ${str(f.args.keepalives)}: an MQTT 5 client is told ${str(f.args.value)} s (Server Keep Alive) and kicked ${humanMs(f.args.minMs)} – ${humanMs(f.args.maxMs)} after its last packet; an MQTT 3.1.1 client is refused (CONNACK 2) since 2.0.12 and keeps its own keepalive before (2.0.11, measured here, is unaffected).`;
    case "syntax":
      return `line ${str(f.args.line)}: ${f.args.problem.replaceAll("-", " ")}; the rest of the file was still read, but NanoMQ's HOCON parser may refuse the file (0.25.3 then exits, 0.21.9 runs on its defaults).`;
  }
}
