import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyLogs, classifyText } from "../../../src/logs/classify.js";
import { settingsFromLog } from "../../../src/logs/nanomq-settings.js";
import { closeReason, parsePipeClose, reasonCodeText } from "../../../src/logs/pipe-close.js";
import type { LogSummary } from "../../../src/logs/summary.js";
import { logsJson } from "../../../src/report/logs-json.js";
import { logsTable } from "../../../src/report/logs-table.js";

/**
 * Logs the real NanoMQ wrote at `log.level = info` (Q 1 s, M 1.25), driven by `mqdiag scenario … --broker
 * --keepalive 2 --malformed all`: nanomq-real-0.25.3-info.log (the start of `scenario all`, up to no-connect),
 * nanomq-real-0.21.9-info.log (late-ping, tcp-rst, malformed-packet), nanomq-real-0.25.3-debug-excerpt.log (late-ping
 * at `debug`, the lines the classifier reads, cut from the whole log with grep). The scenarios' client ids are the
 * truth: `mqdiag-<scenario>-<behaviour>-<n>`.
 */
const fixture = (name: string) => new URL(`../../fixtures/logs/${name}`, import.meta.url).pathname;
const text = (name: string) => readFileSync(fixture(name), "utf8");

function names(summary: LogSummary): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of summary.named) {
    const list = out[i.kind] ?? [];
    list.push(i.closed?.clientId ?? "?");
    out[i.kind] = list;
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

describe("parsePipeClose", () => {
  it("reads the file line, the console line and the message alone", () => {
    const file =
      "2026-12-06 14:30:07 [10414] INFO  /root/.cache/mqdiag-nanomq/0.25.3/src/nng/src/sp/protocol/mqtt/nmq_mqtt.c:882: mqdiag-late-ping-1 pipe close! pipe=2351065094 reason_code=0x8d ip=127.0.0.1 clean_start=1 event=1 cache=0";
    const expected = {
      clientId: "mqdiag-late-ping-1",
      pipeId: 2351065094,
      reasonCode: 0x8d,
      ip: "127.0.0.1",
      cleanStart: true,
    };
    expect(parsePipeClose(file)).toEqual(expected);
    const console =
      "2026-12-06 14:30:07 [10414] INFO  nng/src/sp/protocol/mqtt/nmq_mqtt.c:882 nano_pipe_close: mqdiag-late-ping-1 pipe close! pipe=2351065094 reason_code=0x8d ip=127.0.0.1 clean_start=1 event=1 cache=0";
    expect(parsePipeClose(console)).toEqual(expected);
    expect(
      parsePipeClose("dev 42 pipe close! pipe=7 reason_code=0x00 ip= clean_start=0 event=0 cache=0"),
    ).toEqual({ clientId: "dev 42", pipeId: 7, reasonCode: 0, ip: "", cleanStart: false });
  });

  it("rejects what is not one", () => {
    expect(parsePipeClose("nni pipe close!!")).toBeUndefined();
    expect(parsePipeClose("x pipe close! pipe=abc reason_code=0x8d ip=1 clean_start=1")).toBeUndefined();
    expect(parsePipeClose("x pipe close! pipe=1 reason_code=8d ip=1 clean_start=1")).toBeUndefined();
  });

  it("says what each measured reason code means", () => {
    expect(reasonCodeText(0x8d)).toBe("0x8d");
    expect(reasonCodeText(7)).toBe("0x07");
    expect(closeReason(0x8d)).toMatch(/keepalive/);
    expect(closeReason(0x8b)).toMatch(/RST, FIN/);
    expect(closeReason(0x42)).toMatch(/not measured/);
  });
});

describe("settingsFromLog", () => {
  it("reads Q and M from the start-up block of both versions at info", () => {
    for (const name of ["nanomq-real-0.25.3-info.log", "nanomq-real-0.21.9-info.log"])
      expect(settingsFromLog(text(name).split("\n")), name).toEqual({
        retryIntervalMs: 1000,
        keepaliveMultiplier: 1.25,
      });
  });

  it("is undefined for a warn log, and takes the last block of a restarted broker", () => {
    expect(settingsFromLog(text("nanomq-real-0.25.3-file.log").split("\n"))).toBeUndefined();
    const restarted = [
      "x INFO  conf.c:1: This NanoMQ instance configured as:",
      "x INFO  conf.c:2: retry_interval:           10s",
      "x INFO  conf.c:3: keepalive_multiplier:     1.500000",
      "x INFO  conf.c:1: This NanoMQ instance configured as:",
      "x INFO  conf.c:2: retry_interval:           3s",
      "x INFO  conf.c:3: keepalive_multiplier:     1.250000",
    ];
    expect(settingsFromLog(restarted)).toEqual({ retryIntervalMs: 3000, keepaliveMultiplier: 1.25 });
    expect(settingsFromLog(restarted.slice(0, 5))).toEqual({
      retryIntervalMs: 10_000,
      keepaliveMultiplier: 1.5,
    });
  });
});

describe("mqdiag logs names NanoMQ 0.25.3's clients at info", () => {
  it("names every incident the pipe close! lines prove, each with its own client", async () => {
    const summary = await classifyLogs([fixture("nanomq-real-0.25.3-info.log")]);
    const kinds = Object.fromEntries([...summary.incidents].map(([k, v]) => [k, v.count]));
    expect(kinds).toEqual({
      "keepalive-timeout": 2,
      "peer-gone": 5,
      "malformed-packet": 4,
      "rejected-publish": 2,
      takeover: 1,
      "bad-connect": 1, // `GET …` instead of CONNECT: no pipe, so no pipe close! line
      "connect-timeout": 1, // no CONNECT: the same
    });
    expect(names(summary)).toEqual({
      "keepalive-timeout": ["mqdiag-late-ping-1", "mqdiag-subscriber-only-1"],
      "peer-gone": [
        "mqdiag-fin-close-fin-1",
        // variants NanoMQ 0.25.3 keeps open: the client closes them with FIN at the end
        "mqdiag-malformed-packet-packet-type-0-1",
        "mqdiag-malformed-packet-pingreq-flags-1",
        "mqdiag-malformed-packet-subscribe-empty-1",
        "mqdiag-tcp-rst-rst-1",
      ],
      "malformed-packet": [
        "mqdiag-malformed-packet-publish-empty-1",
        "mqdiag-malformed-packet-publish-qos1-packet-id-0-1",
        "mqdiag-malformed-packet-publish-qos3-1",
        "mqdiag-malformed-packet-remaining-length-overflow-1",
      ],
      "rejected-publish": [
        "mqdiag-malformed-packet-publish-bad-utf8-topic-1",
        "mqdiag-malformed-packet-publish-wildcard-topic-1",
      ],
      takeover: ["mqdiag-session-takeover-takeover-1"],
    });
    // The kick line's pipe id is the pipe close! line's.
    for (const i of summary.named.filter((n) => n.kind === "keepalive-timeout")) {
      expect(i.pipeId).toBe(i.closed?.pipeId);
      expect(i.closed?.reasonCode).toBe(0x8d);
    }
    const byCode = Object.fromEntries(
      [...summary.pipeCloses].map(([code, c]) => [reasonCodeText(code), [c.count, c.named]]),
    );
    // 0x00: clean DISCONNECTs (the control clients, the readiness check) and the takeover's old connection
    expect(byCode).toEqual({
      "0x00": [11, 1],
      "0x07": [2, 2],
      "0x11": [1, 1],
      "0x81": [1, 1],
      "0x82": [2, 2],
      "0x8b": [5, 5],
      "0x8d": [2, 2],
    });
  });

  it("reads the same from the bytes (the fast path) as line by line", async () => {
    const plain = classifyText(text("nanomq-real-0.25.3-info.log"), { path: "x" });
    const bytes = await classifyLogs([fixture("nanomq-real-0.25.3-info.log")]);
    expect(names(plain)).toEqual(names(bytes));
    expect(plain.kickChecks).toEqual(bytes.kickChecks);
    expect([...plain.pipeCloses]).toEqual([...bytes.pipeCloses]);
  });

  it("checks each named kick against the model of the log's own Q and M", async () => {
    const info = await classifyLogs([fixture("nanomq-real-0.25.3-info.log")]);
    expect(info.settings).toMatchObject({ retryIntervalMs: 1000, keepaliveMultiplier: 1.25, line: 15 });
    // keepalive unknown at info: the bound of keepalive 1 s, 1.5·Q + Q·(⌊1·1.25/1⌋ + 1) = 3.5 s after the CONNECT
    expect(info.kickChecks).toMatchObject({ checked: 2, unchecked: 0, earlyCount: 0 });
    const late = info.named.find((i) => i.closed?.clientId === "mqdiag-late-ping-1");
    expect(late?.window).toMatchObject({
      keepaliveS: null,
      afterMs: 5000,
      earliestMs: 3500,
      verdict: "within",
    });
    // debug: the $SYS online payload gives keepalive 2, so 1.5 + (⌊2.5⌋ + 1) = 4.5 s
    const debug = await classifyLogs([fixture("nanomq-real-0.25.3-debug-excerpt.log")]);
    expect(debug.named[0]?.window).toMatchObject({ keepaliveS: 2, earliestMs: 4500, verdict: "within" });
  });

  it("reports a kick sooner than the model allows (the real lines, the kick moved 3 s earlier)", () => {
    const lines = text("nanomq-real-0.25.3-debug-excerpt.log")
      .split("\n")
      .map((l) => l.replace(/^2026-12-06 14:32:59/, "2026-12-06 14:32:56"));
    const summary = classifyText(lines.join("\n"));
    expect(summary.kickChecks).toMatchObject({ checked: 1, earlyCount: 1 });
    expect(summary.kickChecks.early[0]).toMatchObject({ clientId: "mqdiag-late-ping-1", afterMs: 3000 });
    expect(logsTable(summary, 100)).toMatch(/1 sooner after the CONNECT than the model allows/);
  });

  it("names a takeover only from the pipe close! right after its collision line on the same thread", () => {
    const at = "2026-12-06 14:30:15";
    const collision = `${at} [10416] ERROR nng/src/core/pipe.c:484: Client ID collision or set ID failed!`;
    const close = (tid: number, id: string, rc: string) =>
      `${at} [${tid}] INFO  nng/src/sp/protocol/mqtt/nmq_mqtt.c:882: ${id} pipe close! pipe=1 reason_code=0x${rc} ip=127.0.0.1 clean_start=1 event=1 cache=0`;
    const online = `${at} [10416] WARN  nng/src/sp/protocol/mqtt/mqtt_parser.c:1370: dup online!`;
    const named = (...lines: string[]) => names(classifyText(lines.join("\n"))).takeover ?? [];
    expect(named(collision, close(10416, "dup", "00"))).toEqual(["dup"]);
    // another thread's clean DISCONNECT, or a close after the new connection's online line: not proof
    expect(named(collision, close(10413, "other", "00"))).toEqual([]);
    expect(named(collision, online, close(10416, "dup", "00"))).toEqual([]);
    expect(named(collision, close(10416, "dup", "8b"))).toEqual([]);
  });

  it("says how to get names on a warn log, and on 0.21.9 at info; JSON and table show the names", async () => {
    for (const name of ["nanomq-real-0.25.3-file.log", "nanomq-real-0.21.9-info.log"]) {
      const summary = await classifyLogs([fixture(name)]);
      expect(summary.namedCount, name).toBe(0);
      const j = JSON.parse(logsJson(summary));
      expect(j.notes.map((n: { code: string }) => n.code)).toEqual(["nanomq-log-level-info"]);
      const table = logsTable(summary, 100);
      expect(table.match(/log\.level = info/g), name).toHaveLength(1);
    }
    const info = await classifyLogs([fixture("nanomq-real-0.25.3-info.log")]);
    const j = JSON.parse(logsJson(info));
    expect(j.notes).toEqual([]);
    expect(j.settings).toMatchObject({ retryIntervalS: 1, keepaliveMultiplier: 1.25 });
    expect(j.namedCount).toBe(14);
    expect(j.named[0]).toMatchObject({
      kind: "keepalive-timeout",
      client: {
        id: "mqdiag-late-ping-1",
        ip: "127.0.0.1",
        reasonCode: "0x8d",
        pipeId: 2351065094,
        window: { afterS: 5, earliestS: 3.5, verdict: "within" },
      },
    });
    expect(j.incidents.find((i: { kind: string }) => i.kind === "takeover").clients).toEqual([
      "mqdiag-session-takeover-takeover-1",
    ]);
    const table = logsTable(info, 120, { details: true });
    expect(table).toMatch(/Clients named by NanoMQ's pipe close! lines: 14 of 16 incidents/);
    expect(table).toMatch(/retry_interval 1 s,\s+keepalive_multiplier\s+1\.25/);
    expect(table).not.toMatch(/log\.level = info/);
  });
});
