import chalk from "chalk";
import type { ClientsSurvey } from "../keepalive/clients/survey.js";
import {
  clientVerdictLine,
  firstToActText,
  pingGapCell,
  rangeText,
  serverKeepAliveLine,
  serverKeepaliveText,
  sourceText,
} from "./clients-words.js";
import { humanMs } from "./config-messages.js";
import { fitTable } from "./fit-table.js";
import { DEFAULT_WIDTH, fitLines, proseWidth, wrap } from "./width.js";

function brokerText(survey: ClientsSurvey): string {
  const b = survey.broker;
  const from = survey.brokerSource.kind === "config" ? ` (from ${survey.brokerSource.file})` : "";
  if (b.profile !== "nanomq") return `${b.profile}${from}`;
  const version = b.nanomqVersion[0] >= 999 ? "" : ` ${b.nanomqVersion.join(".")}`;
  return `nanomq${version} Q ${humanMs(b.retryIntervalMs)} M ${b.keepaliveMultiplier}${from}`;
}

/** The default `mqdiag clients` report: one row per library, then what each ending means; at most `width` columns. */
export function clientsTable(survey: ClientsSurvey, width = DEFAULT_WIDTH): string {
  const c = survey.conditions;
  const out = [
    chalk.bold(`mqdiag clients · ${brokerText(survey)}`),
    `keepalive ${humanMs(c.keepaliveMs)} · latency ${humanMs(c.oneWayLatencyMs)} each way · application loop every ${humanMs(c.loopIntervalMs)}`,
    ...(c.serverKeepalive ? [serverKeepaliveText(c.serverKeepalive)] : []),
    "",
  ];
  const paint = (first: string) =>
    first.startsWith("nobody")
      ? chalk.green(first)
      : first.startsWith("broker")
        ? chalk.red(first)
        : chalk.yellow(first);
  out.push(
    fitTable(
      ["library", "ping gap", "gives up", "kicked at", "first", "margin", "source"],
      survey.rows.map((row) => {
        const v = row.verdict;
        return [
          `${row.model.id} ${row.model.versions}`,
          pingGapCell(v),
          rangeText(v.giveUpAfterPingMs),
          rangeText(v.brokerKicksAtMs),
          paint(firstToActText(row)),
          v.marginMs === null ? "-" : humanMs(v.marginMs),
          sourceText(row),
        ];
      }),
      [{ min: 12 }, { min: 6 }, { min: 6 }, { min: 6 }, { min: 6 }, { min: 6 }, { min: 8 }],
      width,
    ),
  );
  const ending = survey.rows.filter((r) => r.verdict.firstToAct !== "nobody");
  out.push("");
  out.push(
    ending.length === 0
      ? chalk.green(`Every library shown survives this broker at keepalive ${humanMs(c.keepaliveMs)}.`)
      : chalk.bold(`${ending.length} of ${survey.rows.length} libraries' idle connections end:`),
  );
  for (const row of ending) out.push(...wrap(clientVerdictLine(row), proseWidth(width), "- ", "  "));
  const told = survey.rows.filter((r) => r.verdict.keepalive.toldS !== null);
  if (told.length) {
    out.push("", chalk.bold("Server Keep Alive"));
    for (const r of told) out.push(...wrap(serverKeepAliveLine(r), proseWidth(width), "- ", "  "));
  }
  const refused = survey.rows.flatMap((r) => {
    const why = r.model.refusesKeepalive?.(c.keepaliveMs);
    return why ? [`${r.model.id}: ${why}; its row is its rule as if it accepted`] : [];
  });
  if (refused.length) {
    out.push("", chalk.bold(`Refused at keepalive ${humanMs(c.keepaliveMs)}`));
    for (const line of refused) out.push(...wrap(line, proseWidth(width), "- ", "  "));
  }
  const bugs = survey.rows.flatMap((r) => r.model.knownBugs.map((b) => ({ id: r.model.id, b })));
  if (bugs.length) {
    out.push("", chalk.bold("Known keepalive bugs (other versions than modelled)"));
    for (const { id, b } of bugs)
      out.push(...wrap(`${id} ${b.versions}: ${b.summary} (${b.reference})`, proseWidth(width), "- ", "  "));
  }
  out.push(
    "",
    ...wrap(
      `${survey.rows.some((r) => !r.model.runnableHere) ? "† model from source only: the library does not run here. " : ""}Times count from the client's CONNECT. "~N%": the outcome depends on where the client's clock or loop and the broker's ticks or sweeps fall; N = the share of phases in which the connection surely ends. Rules and sources: docs/commands/clients.md; real vs model: docs/clients.md.`,
      proseWidth(width),
    ).map((l) => chalk.gray(l)),
  );
  return `${fitLines(out.join("\n"), width)}\n`;
}
