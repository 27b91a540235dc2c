import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBroker } from "../../src/broker/index.js";
import { realClock } from "../../src/core/clock.js";
import { runCli } from "../helpers/cli.js";

/**
 * Issue 11, item 3: every text report fits the terminal. The built CLI writes into a pipe, so its width comes from
 * COLUMNS (as a terminal's would); every line, colour codes stripped, is at most that wide. 100 without COLUMNS.
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

const dir = mkdtempSync(join(tmpdir(), "mqdiag-width-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(WIDTHS)("at %i columns", (width) => {
  it.each(readdirSync(fixture("logs")))("logs %s fits, the glance and --details", async (name) => {
    for (const details of [[], ["--details"]]) {
      const out = await report(["logs", fixture(`logs/${name}`), ...details], width);
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
    const out = plain(await report(["logs", log], width));
    expect(tooWide(out, width)).toEqual([]);
    // the first names that fit (the first one cut when not even it does), then how many more
    expect(out).toMatch(/│ a-rathe[^│]* \+\d+ +│/);
  });

  it("explain (the list, every entry, an rv and a pasted line) fits", async () => {
    const list = await report(["explain"], width);
    expect(tooWide(list, width)).toEqual([]);
    const ids = [...plain(list).matchAll(/^│ ([a-z0-9-]+) +│/gm)].map((m) => m[1] as string);
    expect(ids.length).toBeGreaterThan(10);
    const queries = [...ids.filter((id) => id !== "id"), "139", "0x81", "nni aio recv error!! Object closed"];
    const outs = await Promise.all(queries.map((q) => report(["explain", q], width)));
    for (const out of outs) expect(tooWide(out, width)).toEqual([]);
  });

  it.each(readdirSync(fixture("conf")).filter((f) => f.endsWith(".conf")))("config %s fits", async (name) => {
    const r = await runCli(["config", fixture(`conf/${name}`)], { env: { COLUMNS: String(width) } });
    if (r.code === 2) return; // not a config NanoMQ reads: one line on stderr, no report
    expect(tooWide(r.stdout, width)).toEqual([]);
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
