import type { ClientRecord } from "../src/fleet/types.js";
import type { KickPredictor } from "./fleet-broker.js";

/** The p-th percentile (nearest rank) of xs; NaN when empty. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

export interface KickErrors {
  expected: number;
  kicked: number;
  /** Kicked clients whose prediction was exact: measured close − predicted kick, ms. */
  errorsMs: number[];
  /** Kicked, but the inputs did not pin the prediction (mosquitto: CONNECT and CONNACK straddled a second that moved the kick to another sweep). */
  unpredicted: number;
  /** Kicked (the client saw the broker close), but the close time was not measured (not in the capture). */
  unmeasured: number;
  /** Broker-side kick − predicted kick, ms (embedded broker only). */
  brokerErrorsMs: number[];
  /** Per predicted sweep (in time order): how many clients it kicked, and the error of its first and last close. */
  sweeps: { clients: number; firstMs: number; lastMs: number }[];
}

/**
 * Per silent client: measured close time minus the model's exact prediction. `closedAt` says where the close is
 * measured (bench clock ms, null = not measured): by default where the fleet's client saw it.
 */
export function kickErrors(
  silent: readonly ClientRecord[],
  predictor: KickPredictor,
  closedAt: (r: ClientRecord) => number | null = (r) => r.closedAt,
): KickErrors {
  const out: KickErrors = {
    expected: silent.length,
    kicked: 0,
    errorsMs: [],
    unpredicted: 0,
    unmeasured: 0,
    brokerErrorsMs: [],
    sweeps: [],
  };
  const bySweep = new Map<number, number[]>();
  for (const r of silent) {
    if (r.closedBy !== "broker" || r.closedAt === null) continue;
    out.kicked += 1;
    const predicted = predictor.predict(r);
    if (predicted === null) {
      out.unpredicted += 1;
      continue;
    }
    const at = closedAt(r);
    if (at === null) {
      out.unmeasured += 1;
      continue;
    }
    out.errorsMs.push(at - predicted);
    const sweep = bySweep.get(predicted) ?? [];
    sweep.push(at - predicted);
    bySweep.set(predicted, sweep);
    const brokerAt = predictor.brokerKickAt?.(r);
    if (brokerAt !== null && brokerAt !== undefined) out.brokerErrorsMs.push(brokerAt - predicted);
  }
  for (const [, errs] of [...bySweep].sort((a, b) => a[0] - b[0])) {
    out.sweeps.push({ clients: errs.length, firstMs: Math.min(...errs), lastMs: Math.max(...errs) });
  }
  return out;
}
