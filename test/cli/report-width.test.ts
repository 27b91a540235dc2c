import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import chalk from "chalk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBroker } from "../../src/broker/index.js";
import { DEFAULT_KEEPALIVES } from "../../src/cli/commands/config.js";
import { configReport, parseKeepaliveList } from "../../src/cli/commands/config-run.js";
import { detectConfBroker } from "../../src/config/conf-broker.js";
import { readConfText } from "../../src/config/read-conf-text.js";
import { realClock } from "../../src/core/clock.js";
import { UsageError } from "../../src/core/errors.js";
import { classifyLogs } from "../../src/logs/classify.js";
import { explainEntry } from "../../src/report/explain-table.js";
import { logsTable } from "../../src/report/logs-table.js";
import { explainQuery } from "../../src/signatures/explain-lookup.js";
import { runCli } from "../helpers/cli.js";

/**
 * Issue 11, item 3: every text report fits the terminal. The built CLI writes into a pipe, so its width comes from
 * COLUMNS (as a terminal's would); every line, colour codes stripped, is at most that wide. 100 without COLUMNS.
 * The CLI renders the explain list, a logs report, a config report and the probe at each width; the bulk (every
 * log fixture, explain entry and config fixture) is rendered here by the same report functions the CLI calls,
 * colour off as in the CLI here, which spares some 300 node start-ups; one case of each kind checks that the
 * CLI's report is byte for byte the one rendered here.
 */
const WIDTHS = [72, 100, 160];
const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");
const tooWide = (text: string, width: number) =>
  plain(text)
    .split("\n")
    .filter((l) => l.length > width);

async function report(args: string[], width: number | undefined, timeoutMs?: number): Promise<string> {
  const env = width === undefined ? { COLUMNS: "" } : { COLUMNS: String(width), FORCE_COLOR: "1" };
  const r = await runCli(args, { env, timeoutMs });
  expect(r.stderr).toBe("");
  expect([0, 1]).toContain(r.code);
  return r.stdout;
}

/**
 * Runs `render` with chalk's colour off, as the CLI here has it: runCli sets NO_COLOR, which wins over FORCE_COLOR
 * (the cases here run one after another).
 */
function uncoloured<T>(render: () => T): T {
  const before = chalk.level;
  chalk.level = 0;
  try {
    return render();
  } finally {
    chalk.level = before;
  }
}

/** `mqdiag config <path>`'s table at `width` (colour off), or undefined where the CLI exits 2 (no report). */
async function configText(path: string, width: number): Promise<string | undefined> {
  const text = await readConfText(path);
  const options = {
    broker: detectConfBroker(path, text),
    keepalives: parseKeepaliveList(DEFAULT_KEEPALIVES),
    oldConf: false,
    json: false,
    columns: width,
  };
  try {
    return uncoloured(() => configReport(path, text, options).text);
  } catch (err) {
    if (err instanceof UsageError) return undefined;
    throw err;
  }
}

const dir = mkdtempSync(join(tmpdir(), "mqdiag-width-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(WIDTHS)("at %i columns", (width) => {
  it.each(readdirSync(fixture("logs")))("logs %s fits, the glance and --details", async (name) => {
    const summary = await classifyLogs([fixture(`logs/${name}`)], { dialect: "auto" });
    // what the CLI would write to stderr
    expect(summary.files.map((f) => f.warning).filter(Boolean)).toEqual([]);
    for (const details of [false, true]) {
      const out = uncoloured(() => logsTable(summary, width, { details, failing: new Set() }));
      expect(out).toMatch(/Incidents|No incidents/);
      expect(tooWide(out, width)).toEqual([]);
    }
  });

  it("logs: a long client list is shortened to 'a, b +N'", async () => {
    const lines = ["1714564800: mosquitto version 2.0.11 starting"];
    for (let i = 0; i < 40; i++)
      lines.push(
        `${1714564900 + i}: Client a-rather-long-client-name-${i} has exceeded timeout, disconnecting.`,
      );
    const log = join(dir, `many-${width}.log`);
    writeFileSync(log, `${lines.join("\n")}\n`);
    const cli = await report(["logs", log], width);
    // the report the cases above render in-process, byte for byte
    const summary = await classifyLogs([log], { dialect: "auto" });
    expect(cli).toBe(uncoloured(() => logsTable(summary, width, { failing: new Set() })));
    const out = plain(cli);
    expect(tooWide(out, width)).toEqual([]);
    // the first names that fit (the first one cut when not even it does), then how many more
    expect(out).toMatch(/│ a-rathe[^│]* \+\d+ +│/);
  });

  it("explain (the list, every entry, an rv and a pasted line) fits", async () => {
    const [list, rv] = await Promise.all([report(["explain"], width), report(["explain", "139"], width)]);
    // the CLI renders an entry as the loop below does, byte for byte
    expect(rv.trimEnd()).toBe(
      uncoloured(() =>
        explainQuery("139")
          .map((e) => explainEntry(e, width))
          .join("\n")
          .trimEnd(),
      ),
    );
    expect(tooWide(list, width)).toEqual([]);
    const ids = [...plain(list).matchAll(/^│ ([a-z0-9-]+) +│/gm)].map((m) => m[1] as string);
    expect(ids.length).toBeGreaterThan(10);
    const queries = [...ids.filter((id) => id !== "id"), "139", "0x81", "nni aio recv error!! Object closed"];
    for (const q of queries) {
      const entries = explainQuery(q);
      expect(entries.length, q).toBeGreaterThan(0); // else the CLI exits 2 with a line on stderr
      const out = uncoloured(() => entries.map((e) => explainEntry(e, width)).join("\n"));
      expect(tooWide(out, width)).toEqual([]);
    }
  });

  it.each(readdirSync(fixture("conf")).filter((f) => f.endsWith(".conf")))("config %s fits", async (name) => {
    const out = await configText(fixture(`conf/${name}`), width);
    if (out === undefined) return; // not a config NanoMQ reads: one line on stderr, no report
    expect(tooWide(out, width)).toEqual([]);
  });

  it("config: the CLI's report is the one rendered here, and fits", async () => {
    const path = fixture("conf/nanomq-shipped.conf");
    const r = await runCli(["config", path], { env: { COLUMNS: String(width) } });
    expect(r.stderr).toBe("");
    expect(tooWide(r.stdout, width)).toEqual([]);
    expect(r.stdout.trimEnd()).toBe((await configText(path, width))?.trimEnd());
  });
});

describe("probe of the embedded broker (a small check set)", () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    broker = await startBroker({ profile: "spec", port: 0, clock: realClock() });
  });
  afterAll(() => broker?.close());

  it("fits at 72, 100 and 160 columns", async () => {
    const args = [
      "probe",
      `127.0.0.1:${broker.port}`,
      "--checks",
      "connect,ping,keepalive,malformed,takeover",
      "--keepalive-samples",
      "1",
      "--keepalive-sessions",
      "2",
      "--max-wait",
      "10s",
    ];
    // the glance at each width, and the whole report (--details) at the narrowest
    const outs = await Promise.all([
      ...WIDTHS.map((w) => report(args, w, 60_000)),
      report([...args, "--details"], 72, 60_000),
    ]);
    outs.forEach((out, i) => {
      const width = WIDTHS[i] ?? 72;
      expect(out).toMatch(/keepalive/);
      expect(tooWide(out, width)).toEqual([]);
    });
    expect(outs.at(-1)).toMatch(/kick delay after the last packet/);
  }, 90_000);
});

describe("into a pipe without COLUMNS", () => {
  it("the logs report is at most 100 columns", async () => {
    const out = await report(["logs", fixture("logs/nanomq-real-0.25.3-console.log")], undefined);
    expect(tooWide(out, 100)).toEqual([]);
  });
});
