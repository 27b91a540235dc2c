import { describe, expect, it } from "vitest";
import { CATALOGUE } from "../../src/signatures/catalogue.js";
import { runCli } from "../helpers/cli.js";

interface ExplainJson {
  schema: string;
  query: string | null;
  entries: {
    id: string;
    source: string;
    rv?: { rv: number };
    specRefs: { rule: string; version: string }[];
    scenario?: string;
  }[];
}

async function explainJson(...args: string[]): Promise<ExplainJson> {
  const r = await runCli(["explain", ...args, "--format", "json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ExplainJson;
}

describe("mqdiag explain", () => {
  it("lists every signature and incident kind", async () => {
    const j = await explainJson();
    expect(j.schema).toBe("mqdiag.explain/v1");
    expect(j.query).toBeNull();
    const ids = j.entries.map((e) => e.id);
    for (const s of CATALOGUE) expect(ids).toContain(s.id);
    expect(ids).toEqual(expect.arrayContaining(["peer-gone", "broker-closed", "clean-disconnect"]));
    const table = await runCli(["explain"]);
    expect(table.code).toBe(0);
    for (const s of CATALOGUE) expect(table.stdout).toContain(s.id);
  });

  it("explains a signature id, an rv and a pasted log line", async () => {
    const ka = await explainJson("keepalive-timeout");
    expect(ka.entries.map((e) => [e.id, e.scenario])).toEqual([["keepalive-timeout", "late-ping"]]);
    expect(ka.entries[0]?.specRefs).toContainEqual(
      expect.objectContaining({ rule: "MQTT-3.1.2-24", version: "3.1.1" }),
    );
    const rv = await explainJson("139");
    expect(rv.entries.map((e) => [e.id, e.rv?.rv])).toEqual([["parse-error", 139]]);
    const line = await explainJson("nni aio recv error!! Object closed");
    expect(line.entries.map((e) => e.id)).toEqual(["recv-error"]);
    const words = await explainJson("parse", "error", "rv:", "130");
    expect(words.entries.map((e) => [e.id, e.rv?.rv])).toEqual([["parse-error", 130]]);
  });

  it("prints the table form with its sections", async () => {
    const r = await runCli(["explain", "parse-error"]);
    expect(r.code).toBe(0);
    for (const section of ["Lines", "Causes", "Fix", "Spec", "Reproduce: mqdiag scenario tcp-rst"])
      expect(r.stdout).toContain(section);
  });

  it("exits 2 with one line for something it does not know", async () => {
    const r = await runCli(["explain", "no-such-thing"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
  });

  it("explains every rv of docs/broker-facts.md, and names the known ones for an rv it does not know", async () => {
    for (const [rv, id] of [
      ["139", "parse-error"],
      ["0x8B", "parse-error"],
      ["129", "parse-error"],
      ["130", "parse-error"],
      ["17", "parse-error"],
      ["5", "connect-timeout"],
      ["31", "closed-before-connect"],
      ["13", "bad-connect"],
      ["153", "bad-connect"],
      ["149", "parse-error"],
    ] as const) {
      const j = await explainJson(rv);
      expect(
        j.entries.map((e) => [e.id, e.rv?.rv]),
        rv,
      ).toEqual([[id, Number(rv)]]);
    }
    const unknown = await runCli(["explain", "42"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    expect(unknown.stderr.match(/\d+/g)).toEqual([
      "42",
      "5",
      "13",
      "17",
      "31",
      "129",
      "130",
      "139",
      "149",
      "153",
    ]);
  });
});
