import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyLogs } from "../../../src/logs/classify.js";
import { type DialectChoice, FileClassifier } from "../../../src/logs/file-classifier.js";
import type { Incident } from "../../../src/logs/incident.js";
import { LineSplitter, MAX_LINE_CHARS } from "../../../src/logs/line-splitter.js";
import { emptySummary, type LogSummary } from "../../../src/logs/summary.js";

/**
 * The byte-level fast path (byte-lines.ts) against the plain path it stands in for (LineSplitter + per-line
 * classification): the same summary and the same incidents, in the same order, for any mix of real lines and noise
 * and any chunking (boundaries inside lines, inside UTF-8 sequences, inside `\r\n`).
 */
const FIXTURES = new URL("../../fixtures/logs/", import.meta.url).pathname;
const REAL = readdirSync(FIXTURES)
  .filter((f) => f.startsWith("nanomq"))
  .flatMap((f) => readFileSync(FIXTURES + f, "utf8").split("\n"));
const MOSQUITTO = readFileSync(`${FIXTURES}mosquitto-2.0.log`, "utf8").split("\n");

const T = "2026-12-01 21:50:01";
const P = "/root/.cache/mqdiag-nanomq/0.25.3/src/nng/src/sp";
const NOISE = [
  "",
  "\r",
  "   ",
  " \t",
  `${T} [16319] WARN  ${P}/protocol/mqtt/mqtt_parser.c:1370 nano_msg_notify: zähler-✓ online!`,
  `${T} [16319] INFO  ${P}/protocol/mqtt/mqtt_parser.c:1370 nano_msg_notify: x online! and again online!`,
  `${T} [16319] WARN  ${P}/protocol/mqtt/mqtt_parser.c:1370 nano_msg_notify: [weird] online!`,
  `${T} [16319] WARN  ${P}/protocol/mqtt/mqtt_parser.c:1374 nano_msg_notify: a offline! b online!`,
  `${T} [16321] WARN  ${P}/protocol/mqtt/nmq_mqtt.c:184 nano_pipe_timer_cb: sleep aio error x`,
  `${T} [16321] INFO  ${P}/protocol/mqtt/nmq_mqtt.c:184 nano_pipe_timer_cb: sleep aio error 7`,
  `${T} [16321] WARNING ${P}/protocol/mqtt/nmq_mqtt.c:184 nano_pipe_timer_cb: sleep aio error 7`,
  `${T} [16321] WARN  sleep aio error 7 pipe id 5 is gone, pub failed`,
  `${T} [16321] WARN  ${P}/protocol/mqtt/nmq_mqtt.c:397 nano_ctx_send: pipe id 12 is gone, pub failed`,
  `${T} [16321] WARN  x is gone, pub failed`,
  `\u001b[33m${T} [16321] WARN  nano_msg_notify: colour online!\u001b[0m`,
  `${T} [16321] \u001b[33mWARN\u001b[0m  nano_msg_notify: colour online!`,
  `${T} [1] WARN  a online!${T} [2] WARN  b offline!`,
  `${T} [1] WARN  ${T} [2] WARN  x: nni aio recv error!! Object closed`,
  `${T} [1] WARN  x.c:1 f: 2026-12-01 21:55:00 [2] WARN  y.c:2 g: b online!`,
  `${T} [1] WARN  2026-12-01 21:55:00 [2] WARN  y.c:2 g: merged, its message lost`,
  "nni aio recv error!! Object closed",
  `${T} [1] ERROR x.c:1 f: connect nego error rv:(31`,
  `${T} [1] ERROR x.c:1 f: connect nego error rv:(31x)`,
  `${T} [1] ERROR x.c:1 f: connect nego error rv:(5)`,
  `${T} [1] ERROR x.c:1 f: connect nego error rv: Timed out(5)`,
  `${T} [1] WARN  x.c:1 f: tcptran_pipe_recv_cb: recv_error rv: `,
  `${T} [1] WARN  x.c:1 f: tcptran_pipe_recv_cb: recv_error rv: 17abc`,
  `${T} [1] WARN  x.c:1 f: nni aio recv error!! Object\rclosed`,
  `${T} [1] WARN  x.c:1 f: nni aio recv error!! Connection reset (üñ) `,
  `${T} [1] WARN  x.c:1 f: nni aio recv error!! a\u2028closed`,
  `${T} [1] WARN  x.c:1 f: nni aio recv error!!`,
  `${T} [1] WARN  x.c:1 f: nni aio recv error!!   `,
  `${T} [1] WARN  x.c:1 f: MALFORMED_PACKET received.MALFORMED_PACKET received.`,
  "tcptran_pipe_recv_cb: recv_error rv: 139",
  `2026-12-01 21:49:59 [16304] DEBUG ${P}/x.c:1 f: debug noise`,
  "2026-12-01 21:49:5 [16304] WARN  broken stamp online!",
  "2026-12-01 21:49:59 [] WARN  no thread online!",
  "2026-12-01 21:49:59 [12] warn  lower level online!",
  "2026-12-01 21:49:59 [12] WARN",
  "1700000000: Client dev-1 closed its connection.",
  "NanoMQ Broker is started successfully!",
  "ünïcödé only — ✓ ✗ 😀",
  "sleep aio error 7",
  " online!",
];

const BACKWARDS = "2026-12-01 20:00:00 [16319] WARN  x.c:1 f: back in time online!";

const line = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...REAL) },
  { weight: 3, arbitrary: fc.constantFrom(...NOISE, BACKWARDS) },
  { weight: 1, arbitrary: fc.constantFrom(...MOSQUITTO) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...REAL), fc.constantFrom(...REAL)).map(([a, b]) => a + b),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...REAL), fc.nat({ max: 200 })).map(([l, cut]) => l.slice(0, cut)),
  },
);

const logText = fc
  .tuple(fc.array(line, { maxLength: 120 }), fc.boolean(), fc.boolean())
  .map(([lines, crlf, last]) => {
    const eol = crlf ? "\r\n" : "\n";
    return lines.join(eol) + (last ? eol : "");
  });

interface Outcome {
  summary: unknown;
  incidents: Incident[];
  lines: number;
}

function serialise(s: LogSummary): unknown {
  return JSON.parse(
    JSON.stringify(s, (_, v) =>
      v instanceof Map ? [...v] : v instanceof Set ? [...v] : v === undefined ? null : v,
    ),
  );
}

function plain(bytes: Buffer, dialect: DialectChoice): Outcome {
  const summary = emptySummary();
  const incidents: Incident[] = [];
  const file = new FileClassifier("x.log", summary, dialect, (i) => incidents.push(i));
  const splitter = new LineSplitter();
  file.push(splitter.push(bytes));
  file.push(splitter.end());
  file.flush();
  return { summary: serialise(summary), incidents, lines: file.lines };
}

function fast(bytes: Buffer, cuts: number[], dialect: DialectChoice): Outcome {
  const summary = emptySummary();
  const incidents: Incident[] = [];
  const file = new FileClassifier("x.log", summary, dialect, (i) => incidents.push(i));
  let from = 0;
  for (const cut of [...cuts.map((c) => c % (bytes.length + 1))].sort((a, b) => a - b)) {
    file.pushBytes(bytes.subarray(from, Math.max(from, cut)));
    from = Math.max(from, cut);
  }
  file.pushBytes(bytes.subarray(from));
  file.endBytes();
  file.flush();
  return { summary: serialise(summary), incidents, lines: file.lines };
}

describe("byte-level fast path == plain path", () => {
  it("on random mixes of real NanoMQ lines and noise, in random chunks", () => {
    fc.assert(
      fc.property(
        logText,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.constantFrom<DialectChoice>("auto", "nanomq", "mosquitto"),
        (text, cuts, dialect) => {
          const bytes = Buffer.from(text);
          expect(fast(bytes, cuts, dialect)).toEqual(plain(bytes, dialect));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("chunks cut inside every multi-byte UTF-8 sequence and every line", () => {
    const text = `${[...REAL.slice(0, 40), NOISE[4], "ünïcödé — ✓ 😀", NOISE[16]].join("\n")}\n`;
    const bytes = Buffer.from(text);
    const want = plain(bytes, "auto");
    for (let cut = 0; cut <= bytes.length; cut += 7) {
      expect(fast(bytes, [cut, cut + 1, cut + 2, cut + 3], "auto"), `cut at ${cut}`).toEqual(want);
    }
  });

  it("overlong lines (binary junk without newlines) are one cut line, whole or split", () => {
    const long = `${T} [1] WARN  ${"ü".repeat(MAX_LINE_CHARS)} online!`;
    const huge = "x".repeat(5 * MAX_LINE_CHARS);
    const text = [REAL[0], long, REAL[5], huge, NOISE[4], `${huge}\r`, REAL[6]].join("\n");
    const bytes = Buffer.from(text);
    const want = plain(bytes, "auto");
    for (const size of [1000, 65536, 1 << 20]) {
      const cuts: number[] = [];
      for (let c = size; c < bytes.length; c += size) cuts.push(c);
      expect(fast(bytes, cuts, "auto"), `chunks of ${size}`).toEqual(want);
    }
  });

  it("a real-format log in 1 MB reads: the same summary and incidents", () => {
    const cycle = REAL.filter((l) => l.length > 0).join("\n");
    const bytes = Buffer.from(`${Array.from({ length: 300 }, () => cycle).join("\n")}\n`);
    const cuts: number[] = [];
    for (let c = 1 << 20; c < bytes.length; c += 1 << 20) cuts.push(c);
    expect(fast(bytes, cuts, "auto")).toEqual(plain(bytes, "auto"));
  });

  it("the bench's incident-dense log (the real 0.25.3 console log as written, repeated): the same, any reads", () => {
    // Start-up lines without prefix (unparsed()), blank lines, a boring line before them (boring()), hex packet types.
    const log = readFileSync(`${FIXTURES}nanomq-real-0.25.3-console.log`, "utf8");
    const bytes = Buffer.from(log.repeat(150));
    const want = plain(bytes, "auto");
    expect(want.summary).toMatchObject({ unparsedCount: 4 * 150 });
    for (const size of [1 << 20, 4093]) {
      const cuts: number[] = [];
      for (let c = size; c < bytes.length; c += size) cuts.push(c);
      expect(fast(bytes, cuts, "auto"), `reads of ${size}`).toEqual(want);
    }
  });

  it("classifyLogs on files of several 1 MB reads (one reused buffer) and their gzip: the plain path's results", async () => {
    const cycle = REAL.filter((l) => l.length > 0).join("\r\n");
    const bytes = Buffer.from(
      `${Array.from({ length: 50 }, () => cycle).join("\r\n")}\r\nno newline at the end`,
    );
    const dir = mkdtempSync(join(tmpdir(), "mqdiag-byte-lines-"));
    try {
      writeFileSync(join(dir, "nanomq.log"), bytes);
      writeFileSync(join(dir, "nanomq.log.gz"), gzipSync(bytes));
      const want = plain(bytes, "auto");
      for (const name of ["nanomq.log", "nanomq.log.gz"]) {
        const incidents: Incident[] = [];
        const summary = await classifyLogs([join(dir, name)], { onIncident: (i) => incidents.push(i) });
        summary.files = [];
        summary.lines = 0;
        summary.named = summary.named.map((i) => ({ ...i, file: "x.log" }));
        if (summary.settings) summary.settings.file = "x.log";
        const named = incidents.map((i) => ({ ...i, file: "x.log" }));
        expect({ summary: serialise(summary), incidents: named, lines: want.lines }, name).toEqual(want);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
