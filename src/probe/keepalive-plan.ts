/** When each silent session of the keepalive check starts. */
export interface SilentSessionPlan {
  keepalive: number;
  /** Clock ms after the check starts. */
  offsetMs: number;
}

/**
 * Spreads the silent sessions' starts so the broker's periodic sweep is met at evenly spread phases: session j
 * of n aims its spec deadline (start + 1.5 × keepalive) at phase j/n of the window, keepalive values
 * interleaved. A broker that checks every `staggerMs` (mosquitto: ~6 s) is then sampled across its whole
 * period, so the spread of kick delays measures the sweep granularity and the slope is not biased by phase.
 */
export function staggerPlan(
  keepalives: readonly number[],
  sessionsPerKeepalive: number,
  staggerMs: number,
): SilentSessionPlan[] {
  const n = keepalives.length * sessionsPerKeepalive;
  const plan: SilentSessionPlan[] = [];
  for (let r = 0; r < sessionsPerKeepalive; r++) {
    keepalives.forEach((keepalive, a) => {
      const j = r * keepalives.length + a;
      const deadlinePhase = (staggerMs * j) / n;
      const offsetMs = staggerMs > 0 ? mod(deadlinePhase - 1500 * keepalive, staggerMs) : 0;
      plan.push({ keepalive, offsetMs });
    });
  }
  const first = Math.min(...plan.map((p) => p.offsetMs));
  return plan.map((p) => ({ ...p, offsetMs: Math.round(p.offsetMs - first) }));
}

const mod = (a: number, m: number) => ((a % m) + m) % m;
