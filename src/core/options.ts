import { parseDuration, parsePositiveNumber } from "./duration.js";
import { UsageError } from "./errors.js";
import {
  DEFAULT_PROFILE_OPTIONS,
  NANOMQ_LATEST,
  NANOMQ_NEWEST_KNOWN,
  type NanomqVersion,
  PROFILES,
  type ProfileName,
  type ProfileOptions,
} from "./profile.js";
import { parseServerKeepalive, type RawServerKeepaliveOptions } from "./server-keepalive-options.js";
import { parseTickFault, type RawTickFaultOptions } from "./tick-fault-options.js";

export function parseProfileName(text: string): ProfileName {
  if ((PROFILES as readonly string[]).includes(text)) return text as ProfileName;
  throw new UsageError(`--profile: unknown profile "${text}" (choose ${PROFILES.join(", ")})`);
}

/**
 * `latest`, or a NanoMQ version: a real one like `0.21.9` or `0.25.3` (a leading `v`, as in release tags, is fine),
 * or a minor like `0.21` (= 0.21.0), up to the newest minor mqdiag knows (NANOMQ_NEWEST_KNOWN); a version past it
 * (9.9, 0.26) is refused rather than silently read as the newest wording. The version picks the wording era it
 * falls in: each catalogue template says
 * since/until which version it is printed (src/signatures/catalogue.ts; the eras of 0.21.9 and 0.25.3 are checked
 * against those builds).
 */
export function parseNanomqVersion(text: string): NanomqVersion {
  const t = text.trim();
  if (t === "latest") return NANOMQ_LATEST;
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(t);
  if (!match)
    throw new UsageError(
      `--nanomq-version: expected "latest" or a NanoMQ version like 0.21.9, 0.25.3 or 0.21, got "${text}"`,
    );
  const version: NanomqVersion = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  const [major, minor] = NANOMQ_NEWEST_KNOWN;
  if (version[0] !== major || version[1] > minor)
    throw new UsageError(
      `--nanomq-version: unknown NanoMQ version "${text}" (mqdiag knows ${major}.x up to ${major}.${minor}.x; for a newer one use latest)`,
    );
  return version;
}

/** Raw option strings as commander hands them over; every command with broker options uses this. */
export interface RawProfileOptions extends RawTickFaultOptions, RawServerKeepaliveOptions {
  profile?: string;
  retryInterval?: string;
  keepaliveMultiplier?: string;
  nanomqVersion?: string;
}

export function parseProfileOptions(raw: RawProfileOptions): ProfileOptions {
  const d = DEFAULT_PROFILE_OPTIONS;
  const retryIntervalMs =
    raw.retryInterval === undefined
      ? d.retryIntervalMs
      : parseDuration(raw.retryInterval, "--retry-interval");
  if (retryIntervalMs <= 0) throw new UsageError("--retry-interval: must be greater than 0");
  const profile = raw.profile === undefined ? d.profile : parseProfileName(raw.profile);
  const tickFault = parseTickFault(raw, profile);
  const serverKeepalive = parseServerKeepalive(raw, profile);
  return {
    profile,
    retryIntervalMs,
    keepaliveMultiplier:
      raw.keepaliveMultiplier === undefined
        ? d.keepaliveMultiplier
        : parsePositiveNumber(raw.keepaliveMultiplier, "--keepalive-multiplier"),
    nanomqVersion: raw.nanomqVersion === undefined ? d.nanomqVersion : parseNanomqVersion(raw.nanomqVersion),
    ...(tickFault ? { tickFault } : {}),
    ...(serverKeepalive ? { serverKeepalive } : {}),
  };
}
