import { describe, expect, it } from "vitest";
import type { CheckStatus } from "../../../src/probe/check-ids.js";
import { probeExitStatus } from "../../../src/probe/exit-status.js";
import type { ProbeResult } from "../../../src/probe/types.js";
import { escapeXml, junitXml } from "../../../src/report/junit.js";
import { probeJson } from "../../../src/report/probe-json.js";
import { probeJunit } from "../../../src/report/probe-junit.js";
import { probeTable } from "../../../src/report/probe-table.js";

/** One ping finding per status (the statuses are what the exit status and JUnit read). */
function result(statuses: CheckStatus[]): ProbeResult {
  return {
    schema: "mqdiag.probe/v1",
    target: { protocol: "mqtt", host: "127.0.0.1", port: 1883, path: "", mqttVersion: "5" },
    startedAt: "2025-01-01T00:00:00.000Z",
    durationMs: 1234,
    insecure: false,
    checks: statuses.map((status) => ({
      id: "ping",
      status,
      code: "no-session",
      specRef: null,
      measured: { reason: "x" },
    })),
  };
}

describe("probe exit status", () => {
  const table: [CheckStatus[], "warn" | "error", number][] = [
    [["pass", "pass"], "error", 0],
    [["pass", "warn"], "error", 0],
    [["pass", "warn"], "warn", 1],
    [["pass", "fail"], "error", 1],
    [["pass", "error"], "error", 3],
    [["fail", "error"], "error", 1],
    [["pass", "skip"], "error", 0],
  ];
  for (const [statuses, failOn, exit] of table) {
    it(`${statuses.join(",")} --fail-on ${failOn} → ${exit}`, () => {
      expect(probeExitStatus(result(statuses), failOn)).toBe(exit);
    });
  }
});

describe("probe reporters", () => {
  it("JSON carries the v1 schema and every finding with a summary", () => {
    const doc = JSON.parse(probeJson(result(["pass", "fail"])));
    expect(doc.schema).toBe("mqdiag.probe/v1");
    expect(doc.checks).toHaveLength(2);
    expect(doc.checks[1]).toMatchObject({ id: "ping", status: "fail", code: "no-session" });
    expect(typeof doc.checks[1].summary).toBe("string");
  });

  it("JUnit: one testcase per check; fail → failure, error → error, skip → skipped, warn only with --fail-on warn", () => {
    const xml = probeJunit(result(["pass", "fail", "error", "skip", "warn"]));
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect(xml).toMatch(/failures="1"/);
    expect(xml).toMatch(/errors="1"/);
    expect(xml).toMatch(/skipped="1"/);
    expect(probeJunit(result(["warn"]), "warn")).toMatch(/failures="1"/);
  });

  it("the table says loudly when TLS was not verified", () => {
    expect(probeTable({ ...result(["pass"]), insecure: true })).toMatch(/NOT verified/);
    expect(probeTable(result(["pass"]))).not.toMatch(/NOT verified/);
  });

  it("the glance tallies the statuses, worst first; an inconclusive check (error) shows its spec reference", () => {
    const r = result(["pass", "error", "pass"]);
    r.checks = r.checks.map((c) => ({ ...c, specRef: "[MQTT-3.12.4-1]" }));
    const text = probeTable(r);
    expect(text).toMatch(/^checks: 1 error \(ping\) · 2 pass$/m);
    expect(text.match(/\[MQTT-3\.12\.4-1\]/g)).toHaveLength(1);
    expect(text).toMatch(/^ {2}ping +error +could not set up a session for this check \[MQTT-3\.12\.4-1\]$/m);
    expect(probeTable(r, 100, { details: true }).match(/\[MQTT-3\.12\.4-1\]/g)).toHaveLength(3);
  });

  it("JUnit XML escapes markup and drops control characters", () => {
    expect(escapeXml(`<a b="c">&'\u0001`)).toBe("&lt;a b=&quot;c&quot;&gt;&amp;&apos;");
    const xml = junitXml({
      name: "s",
      cases: [{ name: "<x>", classname: "c", failure: { message: "a&b" } }],
    });
    expect(xml).toContain('name="&lt;x&gt;"');
    expect(xml).toContain('message="a&amp;b"');
  });
});
