import type { BrokerStats } from "../src/broker/index.js";
import type { ProfileOptions } from "../src/core/profile.js";
import type { ConnectionOutcome } from "./connection.js";
import { CLOSES_AT_ONCE_MS, profileExpectation } from "./expect.js";
import type { HealthyStats } from "./healthy.js";
import type { FuzzStats } from "./run.js";

/**
 * Why a connection that sent one named variant alone was not handled as the profile says (closed or left open,
 * answered with exactly the profile's bytes, closed at once); undefined when it was, or when it sent no variant.
 */
export function variantDivergence(options: ProfileOptions, o: ConnectionOutcome): string | undefined {
  if (o.plan !== "variant" || o.variant === undefined) return undefined;
  const expected = profileExpectation(options, o.variant);
  const said = (closes: boolean) => (closes ? "closed" : "left open");
  if (o.closedByBroker !== expected.closes)
    return `${o.variant}: ${said(o.closedByBroker)}, the profile says ${said(expected.closes)}`;
  if ((o.reply ?? "") !== expected.reply)
    return `${o.variant}: answered ${o.reply || "nothing"}, the profile says ${expected.reply || "nothing"}`;
  if (o.closedByBroker && (o.closeAfterMs ?? 0) >= CLOSES_AT_ONCE_MS)
    return `${o.variant}: closed ${(o.closeAfterMs ?? 0).toFixed(0)} ms after its last write (less ${(o.stalledMs ?? 0).toFixed(0)} ms stalled), not at once (< ${CLOSES_AT_ONCE_MS} ms)`;
  return undefined;
}

/** One connection that diverged, by its number in the run (replay: `npm run fuzz -- --seed S --connection N`). */
export interface Divergence {
  id: number;
  detail: string;
}

/** Everything that makes a campaign fail, one line each; empty when it passed. */
export function campaignFailures(run: {
  stats: FuzzStats;
  broker: BrokerStats;
  stream: HealthyStats;
  divergences: readonly Divergence[];
}): string[] {
  const { stats, broker, stream, divergences } = run;
  const failures: string[] = [];
  if (broker.internalErrors > 0) failures.push(`broker internal errors: ${broker.internalErrors}`);
  for (const [code, n] of Object.entries(stats.socketErrors)) failures.push(`socket error ${code} × ${n}`);
  if (stream.lost > 0 || stream.duplicated > 0)
    failures.push(`healthy stream: lost ${stream.lost}, duplicated ${stream.duplicated} of ${stream.sent}`);
  for (const e of stream.errors.slice(0, 5)) failures.push(`healthy stream: ${e}`);
  for (const d of divergences.slice(0, 20)) failures.push(`connection ${d.id}: ${d.detail}`);
  if (divergences.length > 20) failures.push(`… ${divergences.length - 20} more connections diverged`);
  return failures;
}
