/** What a session or reconnect scenario found (issue 10), beyond checks and clients: data only, reporters word it. */
export type SessionOutcome = Record<never, never>;
