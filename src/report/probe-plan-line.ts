import type { PlanMeasured } from "../probe/findings.js";

const list = (ks: readonly number[]) => (ks.length > 3 ? `${ks.slice(0, 3).join(", ")} …` : ks.join(", "));

/**
 * The keepalive plan in one sentence: which sessions it chose and why, and what came of them, e.g. "plan: 25
 * sessions at keepalive 8–34 s, chosen to pin NanoMQ's keepalive_multiplier (1–2.5) to ±0.05 for any
 * retry_interval 1–23 s within 60 s; M ≥ 1.25 from keepalive 16, 24, M < 1.29 from keepalive 31; 16 stopped
 * early, nothing left to tell".
 */
export function planLine(p: PlanMeasured): string {
  const ks = p.keepalives;
  const head = `plan: ${ks.length} sessions at keepalive ${ks[0]}–${ks.at(-1)} s, chosen to pin NanoMQ's keepalive_multiplier (${p.prior.multiplier[0]}–${p.prior.multiplier[1]}) to ±0.05 for any retry_interval ${p.prior.tickS[0]}–${p.prior.tickS[1]} s within ${p.horizon} s`;
  if (p.outcome === "not-tick")
    return `${head}; all stopped once the first kicks ruled NanoMQ's tick out (not used in the fit)`;
  const bounds = [
    p.bounds?.lo ? `M ≥ ${p.bounds.lo.multiplier} from keepalive ${list(p.bounds.lo.keepalives)}` : null,
    p.bounds?.hi ? `M < ${p.bounds.hi.multiplier} from keepalive ${list(p.bounds.hi.keepalives)}` : null,
  ].filter((b): b is string => b !== null);
  return `${head}${bounds.length ? `; ${bounds.join(", ")}` : ""}; ${p.endedEarly} stopped early, nothing left to tell`;
}
