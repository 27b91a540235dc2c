/** The session and reconnect scenarios' names (issue 10), in the order `all` runs them. */
export const SESSION_SCENARIO_NAMES = ["session-resume", "reconnect-storm"] as const;
