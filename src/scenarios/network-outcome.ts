/** What a network-fault scenario found (issue 9), beyond checks and clients: data only, reporters word it. */
export type NetworkOutcome = Record<never, never>;
