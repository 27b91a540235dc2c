import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateNanomqLog } from "../../bench/logs-generate.js";
import { runCli } from "../helpers/cli.js";

const FIXTURES = new URL("../fixtures/logs/", import.meta.url).pathname;
const fixture = (name: string) => join(FIXTURES, name);
const LOGS = readdirSync(FIXTURES).filter((f) => f.endsWith(".log"));

/** Table lines of the incidents table: `│ <kind> │ <count> │ …`. */
const rowOf = (stdout: string, kind: string) =>
  stdout.split("\n").filter((l) => new RegExp(`^│ ${kind} +│ \\d+ +│`).test(l));

/**
 * Issue 17, part 2, for `mqdiag logs`: the table report is a glance (incidents per kind with their clients, NanoMQ's
 * settings and its kicks checked against them, one line per kind saying what it is); signatures, named clients,
 * the per-minute chart and each kind's fixes print with --details, and for a kind --fail-on names.
 */
describe("mqdiag logs: a report that fits a glance", () => {
  let dir: string;
  let long: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mqdiag-logs-glance-"));
    // a real-format NanoMQ log of ~135,000 lines (bench/logs-generate.ts): six kinds, 433 incidents each
    long = join(dir, "nanomq-long.log");
    await generateNanomqLog(long, 20e6, "console");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("every fixture log and a long generated one: ≤ 35 lines in a 100-column terminal, one row per kind", async () => {
    for (const path of [...LOGS.map(fixture), long]) {
      const r = await runCli(["logs", path], { env: { COLUMNS: "100" } });
      expect(r.code, path).toBe(0);
      const lines = r.stdout.trimEnd().split("\n");
      expect(lines.length, path).toBeLessThanOrEqual(35);
      expect(Math.max(...lines.map((l) => l.length)), path).toBeLessThanOrEqual(100);
      // the evidence waits for --details
      expect(r.stdout, path).not.toContain("Signatures");
      expect(r.stdout, path).not.toContain("Incidents per minute");
      expect(r.stdout, path).not.toMatch(/^ {2}more: mqdiag explain/m);
      expect(r.stdout, path).toMatch(/^--details: /m);
      const j = JSON.parse((await runCli(["logs", path, "--format", "json"])).stdout) as {
        incidents: { kind: string; count: number }[];
      };
      for (const i of j.incidents) {
        const [row] = rowOf(r.stdout, i.kind);
        expect(row, `${path} ${i.kind}`).toContain(`│ ${i.count} `);
        // what each kind is, in a line (clean DISCONNECTs need no explaining)
        if (i.kind !== "clean-disconnect")
          expect(r.stdout, `${path} ${i.kind}`).toMatch(new RegExp(`^ {2}${i.kind} +\\S`, "m"));
      }
    }
  }, 120_000);

  it("the answer first: the clients named, NanoMQ's own settings and its kicks checked against them", async () => {
    const r = await runCli(["logs", fixture("nanomq-real-0.25.3-info.log")], { env: { COLUMNS: "100" } });
    expect(r.stdout).toMatch(/^Incidents: 16 in 7 kinds, 14 named by NanoMQ's pipe close! lines$/m);
    expect(rowOf(r.stdout, "keepalive-timeout")[0]).toContain("mqdiag-late-ping-1 +1");
    expect(r.stdout.replace(/\s+/g, " ")).toContain(
      "retry_interval 1 s, keepalive_multiplier 1.25. Named kicks against its keepalive model: 2 checked, none sooner after its CONNECT than the model allows.",
    );
    expect(r.stdout).toMatch(/^ {2}keepalive-timeout +KeepAlive timeout kick$/m);
  });

  it("--details prints the evidence: signatures, named clients, the chart, each kind's fixes", async () => {
    const r = await runCli(["logs", fixture("nanomq-real-0.25.3-info.log"), "--details"], {
      env: { COLUMNS: "100" },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Signatures$/m);
    expect(r.stdout).toMatch(/^│ client-connected +│ 24 /m);
    expect(r.stdout).toMatch(/^Known lines, no incident: timer-cancelled 22/m);
    expect(r.stdout).toMatch(/^Clients named by NanoMQ's pipe close! lines: 14 of 16 incidents$/m);
    expect(r.stdout).toMatch(/^pipe close! lines by reason code: 0x00 11/m);
    expect(r.stdout).toMatch(/^Incidents per minute$/m);
    expect(r.stdout).toMatch(/^keepalive-timeout: KeepAlive timeout kick$/m);
    expect(r.stdout).toMatch(
      /^ {2}more: mqdiag explain keepalive-timeout · reproduce: mqdiag scenario late-ping$/m,
    );
    expect(r.stdout).not.toMatch(/^--details: /m);
  });

  it("a kind --fail-on names gets its causes and fixes; the others keep to their line", async () => {
    const r = await runCli(["logs", long, "--fail-on", "takeover"], { env: { COLUMNS: "100" } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^takeover: Client id takeover$/m);
    expect(r.stdout).toMatch(/^ {2}- give every client a unique client id; back off reconnects$/m);
    expect(r.stdout).toMatch(/^ {2}more: mqdiag explain takeover/m);
    expect(r.stdout).not.toMatch(/^ {2}takeover +Client id takeover$/m);
    expect(r.stdout).toMatch(/^ {2}keepalive-timeout +KeepAlive timeout kick$/m);
    expect(r.stdout).not.toMatch(/^keepalive-timeout: /m);
  });

  it("a kick sooner than the model allows, and lines in no known format, show in the glance", async () => {
    // the real debug excerpt with its kick moved 3 s earlier (test/unit/logs/pipe-close-names.test.ts)
    const early = join(dir, "early-kick.log");
    const lines = readFileSync(fixture("nanomq-real-0.25.3-debug-excerpt.log"), "utf8")
      .split("\n")
      .map((l) => l.replace(/^2026-12-06 14:32:59/, "2026-12-06 14:32:56"));
    writeFileSync(early, [...lines, "garbage that is no log line"].join("\n"));
    const r = await runCli(["logs", early], { env: { COLUMNS: "100" } });
    expect(r.code).toBe(0);
    const flat = r.stdout.replace(/\s+/g, " ");
    expect(flat).toContain("1 sooner after the CONNECT than the model allows");
    expect(flat).toMatch(/- mqdiag-late-ping-1 kicked 3 s after its CONNECT \(2026-12-06 14:32:53\)/);
    expect(r.stdout).toMatch(/^1 line\(s\) in no known log format: \d+$/m);
  });

  it("JSON is the same with and without --details", async () => {
    const path = fixture("nanomq-real-0.25.3-info.log");
    const plain = await runCli(["logs", path, "--format", "json"]);
    const details = await runCli(["logs", path, "--format", "json", "--details"]);
    expect(plain.code).toBe(0);
    expect(details.stdout).toBe(plain.stdout);
  });
});
