import { describe, expect, it } from "vitest";
import { SCENARIO_CATALOGUE } from "../../src/scenarios/catalogue.js";
import { runCli } from "../helpers/cli.js";

/** Issue 16: `scenario --help` shows the common options and the catalogue; `scenario <name> --help` adds its own. */
const OWN = ["--ping-at", "--malformed", "--reconnect", "--reconnect-delay", "--lose", "--messages", "--qos"];
const flagsIn = (help: string) => OWN.filter((f) => new RegExp(`^  ${f} `, "m").test(help));

describe("mqdiag scenario --help", () => {
  it("the common options, the link options, every scenario with its description; no scenario's own options", async () => {
    const r = await runCli(["scenario", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}--keepalive <s> /m);
    expect(r.stdout).toContain("Link options (every scenario's subject clients):");
    for (const e of SCENARIO_CATALOGUE) expect(r.stdout).toMatch(new RegExp(`^ {2}${e.name} +\\S`, "m"));
    expect(flagsIn(r.stdout)).toEqual([]);
  });

  it.each([
    [["late-ping"], ["--ping-at"], "late-ping options:"],
    [["malformed-packet"], ["--malformed"], "malformed-packet options:"],
    [["session-resume"], ["--lose", "--messages", "--qos"], "session-resume options:"],
    [["tcp-rst"], [], undefined],
    [
      ["pingresp-lost", "reconnect-storm"],
      ["--reconnect", "--reconnect-delay"],
      "pingresp-lost, reconnect-storm options:",
    ],
  ])("scenario %j --help: its own options %j under their heading", async (names, own, heading) => {
    const r = await runCli(["scenario", ...names, "--help"]);
    expect(r.code).toBe(0);
    expect(flagsIn(r.stdout)).toEqual(own);
    if (heading) expect(r.stdout).toContain(heading);
    // the named scenarios' descriptions, not the whole catalogue
    const listed = SCENARIO_CATALOGUE.filter((e) => new RegExp(`^ {2}${e.name} +\\S`, "m").test(r.stdout));
    expect(listed.map((e) => e.name)).toEqual(names);
    expect(r.stdout).toMatch(/^ {2}--keepalive <s> /m);
  });

  it("a run takes any scenario's options, a bad value is one line and exit 2", async () => {
    const r = await runCli(["scenario", "tcp-rst", "--qos", "0,3"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      'mqdiag: --qos: expected QoS levels 0, 1 and 2 separated by commas, got "0,3"',
    ]);
  });
});
