import { fixedSeconds } from "../core/seconds.js";
import type { Check } from "../scenarios/check.js";
import type { ScenarioRun } from "../scenarios/types.js";
import { escapeXml } from "./junit.js";
import { checkText, skipText } from "./scenario-messages.js";

const attr = (name: string, value: string | number) => ` ${name}="${escapeXml(String(value))}"`;

/**
 * A testcase's name says what was expected, never what happened, so that CI tracks the same test across a
 * passing and a failing run: the signature (with its rv or reason, and the variant) for signature checks, the
 * client for the others. Unique within a scenario.
 */
export function testcaseName(c: Check): string {
  const a = c.args;
  const variant = "variant" in a && a.variant !== undefined ? ` variant=${a.variant}` : "";
  if (c.code === "signature-absent") return `${c.code} id=${c.args.id}${variant}`;
  if (c.code === "signature-seen") {
    const s = c.args;
    const detail = s.rv !== undefined ? ` rv=${s.rv}` : s.reason !== undefined ? ` reason=${s.reason}` : "";
    return `${c.code} id=${s.id}${detail}${variant}`;
  }
  // a keepalive race checks several steps of one client (network-stall, pingresp-lost)
  const race = "race" in c.args && c.args.race !== undefined ? ` race=${c.args.race}` : "";
  return `${c.code} clientId=${c.args.clientId}${variant}${race}`;
}

/** `--format junit`: one <testsuite> per scenario, one <testcase> per expectation (check). */
export function scenarioJunit(run: ScenarioRun): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = run.scenarios.flatMap((s) => s.checks);
  const skips = run.scenarios.filter((s) => s.verdict === "skipped").length;
  const failed = (cs: readonly Check[]) => cs.filter((c) => !c.ok).length;
  lines.push(
    `<testsuites${attr("name", "mqdiag scenario")}${attr("tests", all.length + skips)}${attr("failures", failed(all))}${attr("skipped", skips)}>`,
  );
  for (const s of run.scenarios) {
    lines.push(
      `  <testsuite${attr("name", `scenario ${s.name}`)}${attr("tests", s.checks.length + (s.verdict === "skipped" ? 1 : 0))}${attr("failures", failed(s.checks))}${attr("errors", 0)}${attr("skipped", s.verdict === "skipped" ? 1 : 0)}${attr("time", fixedSeconds(s.wallMs, 3))}>`,
    );
    lines.push("    <properties>");
    lines.push(`      <property${attr("name", "verdict")}${attr("value", s.verdict)}/>`);
    lines.push(`      <property${attr("name", "profile")}${attr("value", run.target.profile.profile)}/>`);
    lines.push(
      `      <property${attr("name", "timeScale")}${attr("value", s.eventTime ? "event" : s.timeScale)}/>`,
    );
    lines.push("    </properties>");
    if (s.verdict === "skipped") {
      const why = skipText(s.skipReason);
      lines.push(
        `    <testcase${attr("name", "scenario")}${attr("classname", `mqdiag.scenario.${s.name}`)}>`,
        `      <skipped${attr("message", why)}/>`,
        "    </testcase>",
      );
    }
    for (const c of s.checks) {
      const name = testcaseName(c);
      const open = `    <testcase${attr("name", name)}${attr("classname", `mqdiag.scenario.${s.name}`)}`;
      if (c.ok) lines.push(`${open}/>`);
      else
        lines.push(
          `${open}>`,
          `      <failure${attr("message", checkText(c))}${attr("type", c.code)}>${escapeXml(JSON.stringify(c.args))}</failure>`,
          "    </testcase>",
        );
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}
