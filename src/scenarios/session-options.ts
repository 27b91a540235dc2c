/** `mqdiag scenario`'s session and reconnect options (issue 10), raw as commander hands them over. */
export type RawSessionScenarioOptions = Record<never, never>;

/** The session and reconnect options, parsed. */
export type SessionScenarioOptions = Record<never, never>;

/** Validates the session and reconnect options; every problem is a UsageError. */
export function parseSessionScenarioOptions(_raw: RawSessionScenarioOptions): SessionScenarioOptions {
  return {};
}
