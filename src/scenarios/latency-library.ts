import type { ProfileOptions } from "../core/profile.js";
import type { ClientModel } from "../keepalive/clients/types.js";
import { clientVersusBroker } from "../keepalive/clients/versus-broker.js";
import type { LatencyOutcome } from "./latency-budget.js";

/**
 * high-latency with --client: what a library's model (src/keepalive/clients) does at one-way `delayMs` against the
 * profile, as the live clients word it: nobody acts — survives; the broker or the client first; a tie or an
 * outcome that depends on where its clocks and the broker's ticks fall — depends.
 */
export function libraryOutcomeAtDelay(
  model: ClientModel,
  p: ProfileOptions,
  keepaliveMs: number,
  delayMs: number,
  loopIntervalMs: number,
): LatencyOutcome {
  const f = clientVersusBroker(model, { keepaliveMs, oneWayLatencyMs: delayMs, loopIntervalMs }, p);
  if (f.dependsOnPhase || f.firstToAct === "tie") return "depends";
  if (f.firstToAct === "nobody") return "survives";
  return f.firstToAct === "broker" ? "broker-kicks" : "client-gives-up";
}

/** The same at latency ± jitter: one outcome at both extremes, else depends. */
export function libraryOutcomeAt(
  model: ClientModel,
  p: ProfileOptions,
  keepaliveMs: number,
  latencyMs: number,
  jitterMs: number,
  loopIntervalMs: number,
): LatencyOutcome {
  const lo = libraryOutcomeAtDelay(model, p, keepaliveMs, Math.max(0, latencyMs - jitterMs), loopIntervalMs);
  const hi = libraryOutcomeAtDelay(model, p, keepaliveMs, latencyMs + jitterMs, loopIntervalMs);
  return lo === hi ? lo : "depends";
}

/** Scenario ms until the library's connection surely ended at this delay (or a few keepalives when it survives). */
export function libraryLiveMs(
  model: ClientModel,
  p: ProfileOptions,
  keepaliveMs: number,
  delayMs: number,
  loopIntervalMs: number,
): number {
  const f = clientVersusBroker(model, { keepaliveMs, oneWayLatencyMs: delayMs, loopIntervalMs }, p);
  const latest = Math.max(f.brokerKicksAtMs?.maxMs ?? 0, f.clientGivesUpAtMs?.maxMs ?? 0);
  return Math.max(latest, 4 * keepaliveMs, 3 * (f.pingGapMs?.maxMs ?? keepaliveMs)) + 2 * delayMs + 2000;
}
