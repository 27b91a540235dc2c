import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { classifyLogs, classifyText, inTimeOrder } from "../../../src/logs/classify.js";
import type { Incident } from "../../../src/logs/incident.js";
import type { LogSummary } from "../../../src/logs/summary.js";

/**
 * Logs written by the real NanoMQ 0.21.9 and 0.25.3 (`../shared/nanomq`, Q 1 s, M 1.25, level warn), driven by
 * `mqdiag scenario … --broker` and a few raw sockets; the expected incidents are what the scenario reports said each
 * client went through (the raw sockets: a bare TCP open/close and a half CONNECT → closed-before-connect; a 5-byte
 * remaining length and a too short CONNECT → bad-connect).
 */
const fixture = (name: string) => new URL(`../../fixtures/logs/${name}`, import.meta.url).pathname;

function kinds(summary: LogSummary): Record<string, number> {
  return Object.fromEntries([...summary.incidents].map(([k, v]) => [k, v.count]));
}

const TABLE: {
  file: string;
  kinds: Record<string, number>;
  known: Record<string, number>;
  unparsed: number[];
}[] = [
  {
    // scenario all (keepalive 2): the scenario runner's bare TCP reachability check first; takeover without a
    // collision line (0.21.9 prints none), so the log cannot tell why the broker closed that pipe.
    file: "nanomq-real-0.21.9-file.log",
    kinds: {
      "closed-before-connect": 1,
      "keepalive-timeout": 3, // late-ping, subscriber-only, keepalive-budget
      "peer-gone": 3, // tcp-rst, fin-close, keepalive-budget's surviving client closing with FIN
      "malformed-packet": 1,
      "broker-closed": 1, // session-takeover
      "connect-timeout": 1, // no-connect: `rv: Timed out(5)`
    },
    known: { "pub-to-gone-pipe": 1 },
    unparsed: [],
  },
  {
    // excerpt of scenario all: nego rv:(31) from the reachability check, late-ping, tcp-rst, malformed,
    // subscriber-only, session-takeover (file line without function name), no-connect, keepalive-budget, and a
    // stranger's `Illegal CONNECT Packet type 47` and bare connection.
    file: "nanomq-real-0.25.3-file.log",
    kinds: {
      "closed-before-connect": 2,
      "keepalive-timeout": 3,
      "peer-gone": 1,
      "malformed-packet": 1,
      takeover: 1,
      "connect-timeout": 1,
      "bad-connect": 1,
    },
    known: { "timer-cancelled": 11 },
    unparsed: [],
  },
  {
    // malformed-packet --malformed all, session-takeover, tcp-rst, then the raw sockets; one console line where
    // another thread's line cut in (its own message follows on the next line, after a blank one).
    file: "nanomq-real-0.21.9-console.log",
    kinds: {
      "malformed-packet": 5, // remaining length, QoS 3, packet id 0, empty PUBLISH, empty SUBSCRIBE (stays open)
      "rejected-publish": 2,
      "bad-connect": 3, // garbage first, `Unknown error #153(153)`, `Protocol error(13)`
      "peer-gone": 4, // the three variants NanoMQ keeps open, closed by the client at the end; tcp-rst
      "broker-closed": 1,
      "closed-before-connect": 2,
    },
    known: {},
    unparsed: [2], // `NanoMQ Broker is started successfully!` (no prefix)
  },
  {
    file: "nanomq-real-0.25.3-console.log",
    kinds: {
      "malformed-packet": 4,
      "rejected-publish": 2,
      "bad-connect": 3, // garbage first, `Remaining length parse error` + rv:(13), a too short CONNECT: rv:(13) alone
      "peer-gone": 4,
      takeover: 1,
      "closed-before-connect": 2,
    },
    known: { "timer-cancelled": 16 },
    unparsed: [1, 2, 3, 5], // start-up chatter on the console
  },
];

describe("logs written by the real NanoMQ 0.21.9 and 0.25.3", () => {
  it.each(TABLE)("$file → the incidents the scenarios caused", async ({ file, ...expected }) => {
    const incidents: Incident[] = [];
    const summary = await classifyLogs([fixture(file)], { onIncident: (i) => incidents.push(i) });
    expect(summary.files[0]?.dialect).toBe("nanomq");
    expect(kinds(summary)).toEqual(expected.kinds);
    expect(Object.fromEntries([...summary.known].map(([id, k]) => [id, k.count]))).toEqual(expected.known);
    expect(summary.unparsed).toEqual(expected.unparsed);
    // Every sequence whole, none grouped by guess, and no client named: NanoMQ's lines never prove one.
    expect(incidents.filter((i) => !i.complete || i.guessed)).toEqual([]);
    expect(incidents.flatMap((i) => i.clients)).toEqual([]);
    // The same text in memory gives the same incidents.
    expect(kinds(classifyText(readFileSync(fixture(file), "utf8")))).toEqual(expected.kinds);
  });

  it("counts the offline lines as signatures but never puts their ids on an incident", async () => {
    const summary = await classifyLogs([fixture("nanomq-real-0.25.3-file.log")]);
    expect(summary.signatures.get("client-offline")?.count).toBeGreaterThan(10);
    for (const k of summary.incidents.values()) expect(k.clients.size, k.kind).toBe(0);
  });

  it("reads 0.21.9's nego rv wordings by their rv: Connection shutdown(31), Timed out(5), Protocol error(13), #153", () => {
    const line = (tid: number, msg: string) =>
      `2026-12-01 21:54:28 [${tid}] ERROR /x/nng/src/sp/transport/mqtt/broker_tcp.c:456: connect nego error rv: ${msg}`;
    const s = classifyText(
      [
        "2026-12-01 21:54:27 [7] WARN  /x/nng/src/sp/transport/mqtt/broker_tcp.c:309: nego aio error: Connection shutdown",
        line(7, "Connection shutdown(31)"),
        "2026-12-01 21:54:27 [8] WARN  /x/nng/src/sp/transport/mqtt/broker_tcp.c:309: nego aio error: Timed out",
        line(8, "Timed out(5)"),
        line(9, "Unknown error #153(153)"),
        line(9, "Protocol error(13)"),
      ].join("\n"),
    );
    expect(kinds(s)).toEqual({ "closed-before-connect": 1, "connect-timeout": 1, "bad-connect": 2 });
    expect(Object.fromEntries([...s.signatures].map(([id, v]) => [id, v.count]))).toEqual({
      "closed-before-connect": 2,
      "connect-timeout": 2,
      "bad-connect": 2,
    });
  });

  it("takes the merged console line's cut-off message from the next line, on the outer line's thread", () => {
    const text = readFileSync(fixture("nanomq-real-0.21.9-console.log"), "utf8");
    // The real line: thread 17182's prefix, then thread 17181's whole line; 17182's `rv: 129` follows alone.
    expect(text).toMatch(/\[17182\] WARN {2}\S+ tcptran_pipe_recv_cb: 2026-12-01 21:54:23 \[17181\]/);
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.includes("Invalid Packet Type: Connection closed."));
    // Invalid Packet Type (17182) → rv 129 (17182, on the line after the merge); Wrong QoS (17181) → rv 130 (17181).
    const s = classifyText(lines.slice(at, at + 6).join("\n"));
    expect(kinds(s)).toEqual({ "malformed-packet": 2 });
    expect(s.incidents.get("malformed-packet")?.incomplete).toBe(0);
    expect(s.incidents.get("malformed-packet")?.guessed).toBe(0);
    expect(s.unparsed).toEqual([]);
  });
});

describe("a rotated NanoMQ log (nanomq.log, nanomq.log.<i> with i cycling)", () => {
  const dir = mkdtempSync(join(tmpdir(), "mqdiag-rotated-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The real 0.21.9 file log cut into four pieces, named as NanoMQ's cycling rotation leaves them. */
  function rotated(): string[] {
    const lines = readFileSync(fixture("nanomq-real-0.21.9-file.log"), "utf8").split("\n");
    // Cut inside the first keepalive sequence (kick | Object closed), so one incident straddles two files.
    const kick = lines.findIndex((l) => l.includes("kick client due to KeepAlive timeout"));
    const cuts = [0, kick + 1, 18, 30, lines.length];
    // Time order: nanomq.log.4 (oldest), nanomq.log.5, nanomq.log.1, then nanomq.log (current).
    const names = ["nanomq.log.4", "nanomq.log.5", "nanomq.log.1", "nanomq.log"];
    return names.map((name, i) => {
      const path = join(dir, name);
      const piece = lines.slice(cuts[i], cuts[i + 1]).join("\n");
      writeFileSync(path, piece.endsWith("\n") || piece === "" ? piece : `${piece}\n`);
      return path;
    });
  }

  it("reads the files in the order of their content, as one log: a sequence cut by a rotation stays whole", async () => {
    const [p4, p5, p1, current] = rotated() as [string, string, string, string];
    // As a shell glob gives them: nanomq.log nanomq.log.1 nanomq.log.4 nanomq.log.5.
    const glob = [current, p1, p4, p5];
    expect(await inTimeOrder(glob, "auto")).toEqual([p4, p5, p1, current]);
    const incidents: Incident[] = [];
    const summary = await classifyLogs(glob, { onIncident: (i) => incidents.push(i) });
    expect(summary.files.map((f) => f.path)).toEqual([p4, p5, p1, current]);
    expect(kinds(summary)).toEqual(TABLE[0]?.kinds);
    expect(incidents.filter((i) => !i.complete)).toEqual([]);
    const straddling = incidents.find((i) => i.kind === "keepalive-timeout");
    expect(straddling).toMatchObject({
      file: p4,
      signatures: ["keepalive-timeout", "recv-error", "parse-error"],
    });
  });

  it("orders files whose timestamps tie (many rotations in one second) by their last line, then mtime", async () => {
    const line = (s: number) =>
      `2026-12-01 22:07:5${s} [8045] WARN  /x/broker_tcp.c:342: nego aio error: Connection shutdown\n`;
    const write = (name: string, text: string, mtime: number) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      utimesSync(path, mtime, mtime);
      return path;
    };
    const older = write("tie.log.2", line(1) + line(2), 1000);
    const newer = write("tie.log.3", line(2), 1001);
    const newest = write("tie.log", line(2), 1002);
    expect(await inTimeOrder([newest, newer, older], "auto")).toEqual([older, newer, newest]);
  });

  it("orders a gzipped rotated file by its content too; with stdin among the inputs keeps the order given", async () => {
    const [p4, p5, , current] = rotated() as [string, string, string, string];
    const gz = join(dir, "nanomq.log.4.gz");
    writeFileSync(gz, gzipSync(readFileSync(p4)));
    expect(await inTimeOrder([current, p5, gz], "auto")).toEqual([gz, p5, current]);
    expect(await inTimeOrder([current, "-", p4], "auto")).toEqual([current, "-", p4]);
  });

  it("keeps files without a timestamp after the others, in the order given", async () => {
    const odd = join(dir, "notes.txt");
    writeFileSync(odd, "no timestamp here\n");
    const [p4, , , current] = rotated() as [string, string, string, string];
    expect(await inTimeOrder([odd, current, p4], "auto")).toEqual([p4, current, odd]);
  });
});
