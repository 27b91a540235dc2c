/** When each silent session of the keepalive check starts. */
export interface SilentSessionPlan {
  keepalive: number;
  /** Clock ms after the check starts. */
  offsetMs: number;
  /** Which stagger round (0 … sessions − 1): sessions of one round share their deadline phase. */
  round: number;
}

/**
 * Spreads the silent sessions' starts so the broker's periodic sweep is met at evenly spread phases: in round
 * r of n, every keepalive value aims its spec deadline (start + 1.5 × keepalive) at the same phase r/n of the
 * window. A broker that checks every `staggerMs` (mosquitto: ~6 s) then adds the same wait to every keepalive
 * of a round, so the slope of one round is not biased by the sweep phase (interleaving the keepalives over all
 * phases let the slope swing from 1.1 to 1.8 against mosquitto), and the rounds' spread measures the sweep.
 */
export function staggerPlan(
  keepalives: readonly number[],
  sessionsPerKeepalive: number,
  staggerMs: number,
): SilentSessionPlan[] {
  const plan: SilentSessionPlan[] = [];
  for (let round = 0; round < sessionsPerKeepalive; round++) {
    const deadlinePhase = (staggerMs * round) / sessionsPerKeepalive;
    for (const keepalive of keepalives) {
      const offsetMs = staggerMs > 0 ? mod(deadlinePhase - 1500 * keepalive, staggerMs) : 0;
      plan.push({ keepalive, offsetMs, round });
    }
  }
  const first = Math.min(...plan.map((p) => p.offsetMs));
  return plan.map((p) => ({ ...p, offsetMs: Math.round(p.offsetMs - first) }));
}

const mod = (a: number, m: number) => ((a % m) + m) % m;
