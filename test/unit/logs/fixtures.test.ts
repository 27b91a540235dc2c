import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyLogs, classifyText } from "../../../src/logs/classify.js";
import type { Incident } from "../../../src/logs/incident.js";
import type { LogSummary } from "../../../src/logs/summary.js";

const fixture = (name: string) => new URL(`../../fixtures/logs/${name}`, import.meta.url).pathname;

function kinds(summary: LogSummary): Record<string, number> {
  return Object.fromEntries([...summary.incidents].map(([k, v]) => [k, v.count]));
}
function sigs(summary: LogSummary): Record<string, number> {
  return Object.fromEntries([...summary.signatures].map(([k, v]) => [k, v.count]));
}

const NANOMQ_SEQUENCES = {
  "keepalive-timeout": 1,
  "peer-gone": 1,
  "malformed-packet": 4,
  "rejected-publish": 2,
  takeover: 1,
  "connect-timeout": 1,
  "bad-connect": 1,
};

// Each fixture is written by hand from docs/broker-facts.md; the expected incidents are the sequences it holds.
const TABLE: { file: string; dialect: string; kinds: Record<string, number>; unparsed: number[] }[] = [
  { file: "nanomq-0.21.9-console.log", dialect: "nanomq", kinds: NANOMQ_SEQUENCES, unparsed: [30] },
  {
    file: "nanomq-0.25-file.log",
    dialect: "nanomq",
    kinds: { ...NANOMQ_SEQUENCES, "retain-decode-failure": 1 },
    unparsed: [34],
  },
  {
    file: "nanomq-0.23-file.log",
    dialect: "nanomq",
    kinds: { "retain-decode-failure": 2, "keepalive-timeout": 2, "broker-closed": 1, "recv-error": 1 },
    unparsed: [],
  },
  {
    file: "nanomq-merged-console.log",
    dialect: "nanomq",
    kinds: { "keepalive-timeout": 1, "peer-gone": 1 },
    unparsed: [],
  },
  {
    file: "mosquitto-2.0.log",
    dialect: "mosquitto",
    kinds: {
      "keepalive-timeout": 1,
      "peer-gone": 2,
      "bad-connect": 1, // Client <unknown> … protocol error: garbage instead of CONNECT
      "protocol-error": 1,
      "malformed-packet": 2, // one of them: Invalid QoS … then … malformed packet: ONE incident
      takeover: 1,
      "clean-disconnect": 1,
      "connect-timeout": 1, // Client <unknown> has exceeded timeout
    },
    unparsed: [],
  },
];

describe("classifying the hand-written fixtures", () => {
  it.each(TABLE)("$file → its incidents", async ({ file, dialect, kinds: expected, unparsed }) => {
    const summary = await classifyLogs([fixture(file)]);
    expect(kinds(summary)).toEqual(expected);
    expect(summary.files[0]?.dialect).toBe(dialect);
    expect(summary.unparsed).toEqual(unparsed);
    for (const k of summary.incidents.values()) expect(k.incomplete).toBe(0);
  });

  it("counts every line of a NanoMQ sequence as its signature (0.21.9 wording)", async () => {
    const summary = await classifyLogs([fixture("nanomq-0.21.9-console.log")]);
    expect(sigs(summary)).toEqual({
      "keepalive-timeout": 1,
      "recv-error": 5,
      "parse-error": 9,
      "malformed-packet": 4,
      "rejected-publish": 3,
      takeover: 1,
      "connect-timeout": 2,
      "bad-connect": 2,
    });
  });

  it("names no NanoMQ client from an offline line beside an incident: it proves nothing", async () => {
    const summary = await classifyLogs([fixture("nanomq-0.25-file.log")]);
    for (const k of summary.incidents.values()) expect([...k.clients]).toEqual([]);
    expect(summary.signatures.get("client-offline")?.count).toBe(2);
  });

  it("names mosquitto's clients", async () => {
    const summary = await classifyLogs([fixture("mosquitto-2.0.log")]);
    expect([...(summary.incidents.get("peer-gone")?.clients ?? [])]).toEqual(["sensor-2", "sensor-6"]);
    expect([...(summary.incidents.get("takeover")?.clients ?? [])]).toEqual(["sensor-4"]);
    expect([...(summary.incidents.get("malformed-packet")?.clients ?? [])]).toEqual(["sensor-3", "sensor-7"]);
    expect([...(summary.incidents.get("bad-connect")?.clients ?? [])]).toEqual([]);
    expect(summary.incidents.get("keepalive-timeout")?.first).toEqual({ ms: 1714564816000, zoned: true });
  });

  it("marks an rv without its cause line as guessed, and pairs same-kind kicks without guessing", async () => {
    const incidents: Incident[] = [];
    const text = readFileSync(fixture("nanomq-0.23-file.log"), "utf8");
    const summary = await classifyLogs([fixture("nanomq-0.23-file.log")], {
      onIncident: (i) => incidents.push(i),
    });
    expect(summary.incidents.get("recv-error")?.guessed).toBe(1);
    expect(summary.incidents.get("keepalive-timeout")?.guessed).toBe(0);
    expect(incidents.filter((i) => i.kind === "keepalive-timeout").map((i) => i.signatures)).toEqual([
      ["keepalive-timeout", "recv-error", "parse-error"],
      ["keepalive-timeout", "recv-error", "parse-error"],
    ]);
    expect(classifyText(text).incidents.size).toBe(summary.incidents.size);
  });

  it("guesses when a close could belong to incidents of different kinds on other threads", () => {
    const s = classifyText(
      [
        "2024-01-01 00:00:00 [1] WARN  x.c:1 nano_pipe_timer_cb: Warning: close pipe & kick client due to KeepAlive timeout!",
        "2024-01-01 00:00:00 [2] ERROR x.c:2 nni_pipe_set_pid: nni_pipe_set_pid: Client ID collision or set ID failed!",
        "2024-01-01 00:00:00 [3] WARN  x.c:3 tcptran_pipe_recv_cb: nni aio recv error!! Object closed",
        "2024-01-01 00:00:00 [3] WARN  x.c:3 tcptran_pipe_recv_cb: tcptran_pipe_recv_cb: recv_error rv: 139",
        "2024-01-01 00:00:00 [4] WARN  x.c:3 tcptran_pipe_recv_cb: nni aio recv error!! Object closed",
        "2024-01-01 00:00:00 [4] WARN  x.c:3 tcptran_pipe_recv_cb: tcptran_pipe_recv_cb: recv_error rv: 139",
      ].join("\n"),
    );
    expect(kinds(s)).toEqual({ "keepalive-timeout": 1, takeover: 1 });
    expect(s.incidents.get("keepalive-timeout")?.guessed).toBe(1);
  });
});

describe("log time jumping back (concatenated logs)", () => {
  it("closes what was open before the jump and groups the lines after it", () => {
    // 100 lines of other output inside the sequence: expiry is checked on the way.
    const noise = (stamp: string) =>
      Array.from({ length: 100 }, (_, i) => `${stamp} [9] DEBUG x.c:1 f: publish ${i}`);
    const seq = (stamp: string) =>
      [
        `${stamp} [1] WARN  t.c:1 nano_pipe_timer_cb: Warning: close pipe & kick client due to KeepAlive timeout!`,
        ...noise(stamp),
        `${stamp} [2] WARN  r.c:2 tcptran_pipe_recv_cb: nni aio recv error!! Object closed`,
        `${stamp} [2] WARN  r.c:2 tcptran_pipe_recv_cb: tcptran_pipe_recv_cb: recv_error rv: 139`,
      ].join("\n");
    const s = classifyText(`${seq("2024-05-01 12:10:00")}\n${seq("2024-05-01 12:00:00")}`);
    expect(kinds(s)).toEqual({ "keepalive-timeout": 2 });
    expect(s.incidents.get("keepalive-timeout")?.incomplete).toBe(0);
  });
});
