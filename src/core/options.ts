import { parseDuration, parsePositiveNumber } from "./duration.js";
import { UsageError } from "./errors.js";
import {
  DEFAULT_PROFILE_OPTIONS,
  NANOMQ_LATEST,
  type NanomqVersion,
  PROFILES,
  type ProfileName,
  type ProfileOptions,
} from "./profile.js";

export function parseProfileName(text: string): ProfileName {
  if ((PROFILES as readonly string[]).includes(text)) return text as ProfileName;
  throw new UsageError(`--profile: unknown profile "${text}" (choose ${PROFILES.join(", ")})`);
}

export function parseNanomqVersion(text: string): NanomqVersion {
  if (text === "latest") return NANOMQ_LATEST;
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match)
    throw new UsageError(
      `--nanomq-version: expected "latest" or a version like 0.21 or 0.24.5, got "${text}"`,
    );
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Raw option strings as commander hands them over; every command with broker options uses this. */
export interface RawProfileOptions {
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
  return {
    profile: raw.profile === undefined ? d.profile : parseProfileName(raw.profile),
    retryIntervalMs,
    keepaliveMultiplier:
      raw.keepaliveMultiplier === undefined
        ? d.keepaliveMultiplier
        : parsePositiveNumber(raw.keepaliveMultiplier, "--keepalive-multiplier"),
    nanomqVersion: raw.nanomqVersion === undefined ? d.nanomqVersion : parseNanomqVersion(raw.nanomqVersion),
  };
}
