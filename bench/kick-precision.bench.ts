import Table from "cli-table3";
import { percentile } from "./fleet-stats.js";
import { type KickCase, type KickCaseResult, measureKickCase } from "./kick-case.js";

/**
 * `npm run bench -- kick-precision`: how precisely the embedded broker kicks a silent client, per profile and per
 * time scale. For each (profile, scale) the broker runs in this process on scaledClock(scale); CLIENTS raw sockets,
 * their connects spread over a sweep period, each send one CONNECT and then nothing. On the same clock the bench
 * records when each socket was closed and compares that with the model's exact prediction (predictKickAt; for
 * mosquitto with the sweep phase bracketed around startBroker). The reference is the prediction itself: an error
 * of 0 is a kick at exactly the model's instant. Errors are in scenario ms (what a report at that scale shows) and
 * in real ms (error / scale: the lag the machine adds), so the table shows which scale keeps kicks within
 * TOLERANCE_MS scenario ms. Loopback only; every socket and broker is closed after its case.
 */
const CLIENTS = Number(process.env.MQDIAG_BENCH_KICK_CLIENTS ?? 50);
const TOLERANCE_MS = 500;
const SCALES = [1, 10, 50, 200];

/** Keepalives short enough that each case takes a few real seconds; nanomq at scale 1 with Q = 1 s. */
function cases(): KickCase[] {
  const out: KickCase[] = [];
  for (const scale of SCALES) {
    const keepaliveS = scale === 1 ? 1 : scale === 10 ? 10 : 60;
    out.push({
      profile: "nanomq",
      scale,
      keepaliveS,
      retryIntervalMs: scale === 1 ? 1000 : 10_000,
      keepaliveMultiplier: 1.25,
      clients: CLIENTS,
      staggerMs: scale === 1 ? 1000 : 10_000,
    });
    out.push({ profile: "mosquitto", scale, keepaliveS, clients: CLIENTS, staggerMs: 6000 });
    out.push({ profile: "spec", scale, keepaliveS, clients: CLIENTS, staggerMs: 1000 });
  }
  return out;
}

const signed = (x: number, digits = 0) =>
  Number.isNaN(x) ? "–" : `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;
const triple = (xs: readonly number[], div: number, digits: number) =>
  xs.length === 0
    ? "–"
    : [percentile(xs, 50), percentile(xs, 99), Math.max(...xs)]
        .map((x) => signed(x / div, digits))
        .join(" / ");

function report(results: KickCaseResult[]): void {
  const table = new Table({
    head: [
      "profile",
      "scale",
      "keepalive",
      "n kicked",
      "error p50 / p99 / max\n(scenario ms)",
      "error p50 / p99 / max\n(real ms)",
      "min\n(scen. ms)",
      "broker-side\np99 (scen. ms)",
      `≤ ${TOLERANCE_MS} ms`,
    ],
    style: { head: [], border: [] },
  });
  for (const r of results) {
    const { c } = r;
    const within = r.errorsMs.filter((e) => Math.abs(e) <= TOLERANCE_MS).length;
    table.push([
      c.profile,
      `×${c.scale}`,
      `${c.keepaliveS} s${c.profile === "nanomq" ? ` (Q ${(c.retryIntervalMs ?? 10_000) / 1000} s, M ${c.keepaliveMultiplier})` : ""}`,
      `${r.errorsMs.length} / ${r.opened}`,
      triple(r.errorsMs, 1, 0),
      triple(r.errorsMs, c.scale, 2),
      r.errorsMs.length === 0 ? "–" : signed(Math.min(...r.errorsMs)),
      signed(percentile(r.brokerErrorsMs, 99)),
      `${within} / ${r.errorsMs.length}`,
    ]);
  }
  console.log(table.toString());
  console.log(
    "error = when the client's socket was closed (bench clock) − predictKickAt(profile, its CONNECT acceptance); broker-side = the broker's kick trace − the same prediction",
  );
  for (const r of results) {
    const lag = r.connackLagMs;
    const extra = r.notes.length > 0 ? `; ${r.notes.join("; ")}` : "";
    console.log(
      `- ${r.c.profile} ×${r.c.scale}: CONNACK arrives ${signed(percentile(lag, 50), 1)} / ${signed(Math.max(...lag), 1)} scenario ms (p50 / max) after the broker accepted the CONNECT${extra}`,
    );
  }
}

export default async function kickPrecisionBench(): Promise<void> {
  const all = cases();
  console.log(
    `${CLIENTS} silent raw clients per case, ${all.length} cases (profiles nanomq, mosquitto, spec × scales ${SCALES.join(", ")})`,
  );
  const results: KickCaseResult[] = [];
  const started = performance.now();
  for (const c of all) results.push(await measureKickCase(c));
  report(results);
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
