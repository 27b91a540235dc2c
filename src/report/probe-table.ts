import chalk from "chalk";
import { formatTarget } from "../core/target.js";
import type { CheckStatus } from "../probe/check-ids.js";
import { type KeepaliveMeasured, ownFinding } from "../probe/findings.js";
import type { KeepaliveAnswer, Span } from "../probe/keepalive-answer.js";
import type { Inferred } from "../probe/keepalive-fit-types.js";
import type { ProbeResult } from "../probe/types.js";
import { fitTable } from "./fit-table.js";
import { baselineLines } from "./probe-baseline.js";
import { kickChart } from "./probe-chart.js";
import { identifiedAdvice, identifiedLine } from "./probe-identified.js";
import { planLine } from "./probe-plan-line.js";
import { probeAdvice, probeSummary } from "./probe-summary.js";
import { DEFAULT_WIDTH, fitLines, proseWidth, wrap } from "./width.js";

const PAINT: Record<CheckStatus, (s: string) => string> = {
  pass: chalk.green,
  skip: chalk.gray,
  warn: chalk.yellow,
  fail: chalk.red,
  error: chalk.magenta,
};

/** The default report: one row per check, the keepalive chart, then advice; every line at most `width` columns. */
export function probeTable(result: ProbeResult, width = DEFAULT_WIDTH): string {
  const t = result.target;
  const head = `mqdiag probe ${formatTarget(t)} · MQTT ${t.mqttVersion ?? "-"} · ${result.durationMs / 1000} s`;
  const out = [chalk.bold(head)];
  if (result.insecure)
    out.push(
      chalk.red.bold(
        "TLS certificate NOT verified (--insecure): the results say nothing about who answered.",
      ),
    );
  out.push(
    fitTable(
      ["check", "status", "measured", "spec"],
      result.checks.map((f) => [f.id, PAINT[f.status](f.status), probeSummary(f), f.specRef ?? ""]),
      [{}, {}, { min: 24 }, { min: 12 }],
      width,
    ),
  );
  if (result.identified) out.push(identifiedLine(result.identified));
  const keepalive = result.checks.find((c) => c.id === "keepalive");
  if (keepalive) out.push("", ...keepaliveDetail(ownFinding(result.checks, "keepalive")?.measured, width));
  if (result.baseline) {
    const [head, ...rest] = baselineLines(result.baseline);
    out.push("", chalk.bold(result.baseline.drifted ? chalk.red(head) : head), ...rest);
  }
  const advice = [
    ...result.checks.map(probeAdvice).filter((a): a is string => a !== undefined),
    ...(result.identified ? identifiedAdvice(result.identified) : []),
  ];
  if (advice.length)
    out.push("", chalk.bold("Advice"), ...advice.flatMap((a) => wrap(a, proseWidth(width), "- ", "  ")));
  return `${fitLines(out.join("\n"), width)}\n`;
}

/**
 * Per keepalive: the kicks, the inferred model, the --keepalive answer, the chart. The keepalive plan's own
 * sessions (one per keepalive, up to 32) are summed up in one line instead of a row each. A keepalive check that
 * did not run (no connection) has the heading only.
 */
function keepaliveDetail(m: KeepaliveMeasured | undefined, width: number): string[] {
  const samples = (m?.samples ?? []).filter((s) => !s.planned);
  const shown = new Set(samples.map((s) => s.keepalive));
  const lines = [chalk.bold("Keepalive: kick delay against keepalive")];
  for (const g of (m?.groups ?? []).filter((g) => shown.has(g.keepalive))) {
    lines.push(
      `  ${String(g.keepalive).padStart(3)} s: min ${g.min ?? "-"} s, median ${g.median ?? "-"} s, max ${g.max ?? "-"} s, ratio ${g.ratio ?? "-"}×`,
    );
  }
  if (m?.serverKeepAlive)
    lines.push(...wrap(serverKeepAliveLine(m.serverKeepAlive), proseWidth(width), "  ", "    "));
  if (m?.inferred) lines.push(`  inferred: ${modelLine(m.inferred)}`);
  if (m?.plan) lines.push(...wrap(planLine(m.plan), proseWidth(width), "  ", "    "));
  if (m?.forKeepalive) lines.push(`  ${answerLine(m.forKeepalive)}`);
  return [...lines, ...kickChart(samples, m?.maxWait ?? 0).map((l) => `  ${l}`)];
}

/** What Server Keep Alive did to the keepalive sessions. */
function serverKeepAliveLine(k: NonNullable<KeepaliveMeasured["serverKeepAlive"]>): string {
  const told = `the broker tells MQTT 5 clients keepalive ${k.seconds} s (Server Keep Alive)`;
  return k.sessionsMqttVersion === "3.1.1"
    ? `${told}: the sessions above are MQTT 3.1.1, which keep their own keepalive`
    : `${told}, and refuses 3.1.1: every session ran at ${k.seconds} s, so the model cannot be told`;
}

/** "model tick: retry_interval 1 s, keepalive_multiplier 1.25 (1.25–1.273); slope 1.43, spread 0 s" */
function modelLine(i: Inferred): string {
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
function answerLine(a: KeepaliveAnswer): string {
  const span = (x: Span | null) => {
    if (!x) return "?";
    return x.min === x.max ? `${x.min} s` : `(${x.min}, ${x.max}] s`;
  };
  const head = `keepalive ${a.keepalive} s:`;
  if (a.code === "never") return `${head} never kicked`;
  if (a.code === "unknown") return `${head} no fitted model to answer from`;
  return `${head} kicked ${span(a.afterConnect)} after CONNECT if silent from the start, ${span(a.afterLastPacket)} after the last packet otherwise; safe ping interval ${a.safeInterval} s${a.beforeSpec ? ", can come before 1.5 × keepalive" : ""}${a.code === "range" ? " (the multiplier is still a range)" : ""}`;
}
