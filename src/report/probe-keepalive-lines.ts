import chalk from "chalk";
import type { KeepaliveMeasured } from "../probe/findings.js";
import type { KeepaliveAnswer, Span } from "../probe/keepalive-answer.js";
import type { Inferred } from "../probe/keepalive-fit-types.js";
import { kickChart } from "./probe-chart.js";
import { planLine } from "./probe-plan-line.js";
import { proseWidth, wrap } from "./width.js";

/** The probe report's keepalive lines: the model, what Server Keep Alive did, the --keepalive answer, the kicks. */

/**
 * Per keepalive: the kicks, the inferred model, the --keepalive answer, the chart. The keepalive plan's own
 * sessions (one per keepalive, up to 32) are summed up in one line instead of a row each. A keepalive check that
 * did not run (no connection) has the heading only.
 */
export function keepaliveDetail(m: KeepaliveMeasured | undefined, width: number): string[] {
  const samples = (m?.samples ?? []).filter((s) => !s.planned);
  const shown = new Set(samples.map((s) => s.keepalive));
  const lines = [chalk.bold("Keepalive: kick delay against keepalive")];
  for (const g of (m?.groups ?? []).filter((g) => shown.has(g.keepalive))) {
    lines.push(
      `  ${String(g.keepalive).padStart(3)} s: min ${g.min ?? "-"} s, median ${g.median ?? "-"} s, max ${g.max ?? "-"} s, ratio ${g.ratio ?? "-"}×`,
    );
  }
  if (m?.serverKeepAlive) lines.push(...serverKeepAliveLines(m.serverKeepAlive, width));
  if (m?.inferred) lines.push(`  inferred: ${modelLine(m.inferred)}`);
  if (m?.plan) lines.push(...wrap(planLine(m.plan), proseWidth(width), "  ", "    "));
  if (m?.forKeepalive) lines.push(`  ${answerLine(m.forKeepalive)}`);
  return [...lines, ...kickChart(samples, m?.maxWait ?? 0).map((l) => `  ${l}`)];
}

/** What Server Keep Alive did to the keepalive sessions. */
export function serverKeepAliveLines(
  k: NonNullable<KeepaliveMeasured["serverKeepAlive"]>,
  width: number,
): string[] {
  const told = `the broker tells MQTT 5 clients keepalive ${k.seconds} s (Server Keep Alive)`;
  const text =
    k.sessionsMqttVersion === "3.1.1"
      ? `${told}: the sessions above are MQTT 3.1.1, which keep their own keepalive`
      : `${told}, and refuses 3.1.1: every session ran at ${k.seconds} s, so the model cannot be told`;
  return wrap(text, proseWidth(width), "  ", "    ");
}

/** "model tick: retry_interval 1 s, keepalive_multiplier 1.25 (1.25–1.273); slope 1.43, spread 0 s" */
export function modelLine(i: Inferred): string {
  const range = i.multiplierRange;
  const rangeText = range ? ` (${range[0]}–${range[1] ?? "∞"})` : "";
  const params =
    i.model === "tick"
      ? `retry_interval ${i.tickS} s, keepalive_multiplier ${i.multiplier ?? "?"}${rangeText}`
      : i.model === "sweep"
        ? `every ${i.granularityS ?? "?"} s, multiplier ${i.multiplier ?? "?"}${rangeText}`
        : i.model === "exact"
          ? `multiplier ${i.multiplier ?? "?"}${i.wholeSeconds ? `, rounded ${i.wholeSeconds} to whole seconds${rangeText}` : ""}`
          : "no model fits";
  const also = i.alsoFits.length ? ` (${i.alsoFits.join(", ")} fits too)` : "";
  return `model ${i.model}: ${params}${also}; slope ${i.slope ?? "-"}, granularity ${i.granularity ?? "-"} s`;
}

/** The --keepalive answer in one line. */
export function answerLine(a: KeepaliveAnswer): string {
  const span = (x: Span | null) => {
    if (!x) return "?";
    return x.min === x.max ? `${x.min} s` : `(${x.min}, ${x.max}] s`;
  };
  const head = `keepalive ${a.keepalive} s:`;
  if (a.code === "never") return `${head} never kicked`;
  if (a.code === "unknown") return `${head} no fitted model to answer from`;
  return `${head} kicked ${span(a.afterConnect)} after CONNECT if silent from the start, ${span(a.afterLastPacket)} after the last packet otherwise; safe ping interval ${a.safeInterval} s${a.beforeSpec ? ", can come before 1.5 × keepalive" : ""}${a.code === "range" ? " (the multiplier is still a range)" : ""}`;
}
