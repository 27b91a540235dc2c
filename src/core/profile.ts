/** Broker profiles: a keepalive model plus a log dialect (see design.md, "The embedded broker"). */
export const PROFILES = ["nanomq", "mosquitto", "spec"] as const;
export type ProfileName = (typeof PROFILES)[number];

/** Which wording era of NanoMQ's log lines to use; "latest" or a version like "0.21" / "0.24.5". */
export type NanomqVersion = readonly [number, number, number];

export const NANOMQ_LATEST: NanomqVersion = [999, 0, 0];

export interface ProfileOptions {
  profile: ProfileName;
  /** NanoMQ `mqtt.retry_interval` (Q), milliseconds. Default 10 s. */
  retryIntervalMs: number;
  /** NanoMQ `mqtt.keepalive_multiplier` (M). Default 1.25 (the shipped nanomq.conf). */
  keepaliveMultiplier: number;
  nanomqVersion: NanomqVersion;
}

export const DEFAULT_PROFILE_OPTIONS: ProfileOptions = {
  profile: "nanomq",
  retryIntervalMs: 10_000,
  keepaliveMultiplier: 1.25,
  nanomqVersion: NANOMQ_LATEST,
};

/** a >= b for version triples. */
export function versionAtLeast(a: NanomqVersion, b: NanomqVersion): boolean {
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
