/** The probe's checks, in the order they run and are reported. */
export const CHECK_IDS = ["connect", "ping", "keepalive", "will", "malformed", "retain", "takeover"] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const STATUSES = ["pass", "skip", "warn", "fail", "error"] as const;
export type CheckStatus = (typeof STATUSES)[number];
