import { parseKeepaliveSeconds } from "./duration.js";
import { UsageError } from "./errors.js";
import type { ProfileName, ServerKeepalive } from "./profile.js";

/** `--server-keepalive` / `--max-keepalive`, raw as commander hands them over (src/cli/profile-options.ts). */
export interface RawServerKeepaliveOptions {
  serverKeepalive?: string;
  maxKeepalive?: string;
}

/**
 * Which profile takes which rule, as the real brokers have them: the spec allows a server to send any Server Keep
 * Alive, so the spec profile takes both an imposed keepalive and a cap (the Eclipse Paho MQTT 5 interoperability
 * suite's own broker caps: docs/interop.md); mosquitto's only knob is `max_keepalive`; NanoMQ has neither (it never
 * sends Server Keep Alive, measured on 0.21.9 and 0.25.3).
 */
const TAKES: Record<ProfileName, readonly ServerKeepalive["rule"][]> = {
  spec: ["impose", "cap"],
  mosquitto: ["cap"],
  nanomq: [],
};
/** mosquitto 2.0.11 will not start with `max_keepalive` 5 or 9 ("Invalid max_keepalive value"); 10 runs (measured). */
export const MOSQUITTO_MIN_MAX_KEEPALIVE_S = 10;
const OPTION: Record<ServerKeepalive["rule"], string> = {
  impose: "--server-keepalive",
  cap: "--max-keepalive",
};

export function parseServerKeepalive(
  raw: RawServerKeepaliveOptions,
  profile: ProfileName,
): ServerKeepalive | undefined {
  if (raw.serverKeepalive !== undefined && raw.maxKeepalive !== undefined)
    throw new UsageError("--server-keepalive and --max-keepalive: give one or the other");
  const rule =
    raw.serverKeepalive !== undefined ? "impose" : raw.maxKeepalive !== undefined ? "cap" : undefined;
  if (rule === undefined) return undefined;
  const text = (rule === "impose" ? raw.serverKeepalive : raw.maxKeepalive) ?? "";
  const seconds = parseKeepaliveSeconds(text, OPTION[rule]);
  const takes = TAKES[profile];
  if (!takes.includes(rule))
    throw new UsageError(
      takes.length === 0
        ? `${OPTION[rule]}: the ${profile} profile has no such setting (NanoMQ never sends Server Keep Alive); use --profile spec (--server-keepalive or --max-keepalive) or mosquitto (--max-keepalive)`
        : `${OPTION[rule]}: the ${profile} profile's setting is ${takes.map((t) => OPTION[t]).join(" or ")}`,
    );
  if (profile === "mosquitto" && seconds < MOSQUITTO_MIN_MAX_KEEPALIVE_S)
    throw new UsageError(
      `--max-keepalive: mosquitto refuses max_keepalive below ${MOSQUITTO_MIN_MAX_KEEPALIVE_S} ("Invalid max_keepalive value"), got ${seconds}`,
    );
  return { rule, seconds };
}
