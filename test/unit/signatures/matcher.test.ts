import { describe, expect, it } from "vitest";
import { classifyText } from "../../../src/logs/classify.js";
import { CATALOGUE } from "../../../src/signatures/catalogue.js";
import { compileMatcher } from "../../../src/signatures/matcher.js";
import { fillTemplate } from "../../../src/signatures/render.js";
import type { LineArgs, LineTemplate, SignatureId } from "../../../src/signatures/types.js";

// Sample values for every placeholder; free text ({reason}, {topic}) gets text with spaces and brackets.
const ARGS: LineArgs & Record<string, string | number> = {
  clientId: "dev-42",
  pipeId: 17,
  rv: 139,
  reason: "Object closed",
  ip: "127.0.0.1",
  port: 50123,
  topic: "a/+",
  len: 3,
  packetType: 3,
  protocol: 2,
  clean: 1,
  keepalive: 60,
  silentMs: 91000,
  limitMs: 90000,
  listenerPort: 1883,
  // placeholders of the lines built from EMQX, HiveMQ and VerneMQ sources
  fields: "peername: 10.0.0.1:50123, ",
  mountpoint: "[]",
  username: "undefined",
  listener: "TCP Listener",
  cleanStart: "true",
  expiry: "0",
  // ejabberd's JID user@server/clientId
  server: "localhost",
  // placeholders of RabbitMQ's lines (measured)
  conn: "127.0.0.1:50123 -> 127.0.0.1:1883",
  pid: "0.42.0",
  vhost: "/",
};

/** The line each dialect's broker prints around a message, in every line format the classifier reads. */
function lineFormats(t: LineTemplate, message: string): { format: string; line: string }[] {
  if (t.dialect === "nanomq") {
    return [
      {
        format: "console",
        line: `2024-05-01 12:00:01 [1234] ${t.level.padEnd(5)} ${t.file} ${t.func}: ${message}`,
      },
      { format: "file", line: `2024-05-01 12:00:01 [1234] ${t.level.padEnd(5)} ${t.file}: ${message}` },
    ];
  }
  if (t.dialect === "mosquitto") {
    return [
      { format: "epoch", line: `1714564801: ${message}` },
      { format: "iso", line: `2024-05-01T12:00:01: ${message}` },
    ];
  }
  // Built from the brokers' sources (src/logs/source-line-formats.ts), not from a run.
  if (t.dialect === "emqx") {
    return message.startsWith('"')
      ? [{ format: "json", line: `{"time":1714564801000000,"level":"info",${message},"clientid":"dev-42"}` }]
      : [{ format: "text", line: `2024-05-01T12:00:01.000001+00:00 [info] clientid: dev-42, ${message}` }];
  }
  if (t.dialect === "hivemq") return [{ format: "event.log", line: `2024-05-01 12:00:01,123 - ${message}` }];
  if (t.dialect === "vernemq") {
    return [
      { format: "extended", line: `2024-05-01T12:00:01.000001+00:00 [warning] <0.1.0> m:f/2:9: ${message}` },
      { format: "lager", line: `2024-05-01 12:00:01.123 [warning] <0.1.0>@m:f:9 ${message}` },
    ];
  }
  // Measured on ejabberd 23.01: the log file names the process and the location, the console does not.
  if (t.dialect === "ejabberd") {
    const level = { WARN: "warning", ERROR: "error", INFO: "info", DEBUG: "debug", NOTICE: "notice" }[
      t.level
    ];
    return [
      {
        format: "file",
        line: `2024-05-01 12:00:01.227243+00:00 [${level}] <0.464.0>@mod_mqtt_session:unregister_session/2:531 ${message}`,
      },
      { format: "console", line: `2024-05-01 12:00:01.227243+00:00 [${level}] ${message}` },
    ];
  }
  // Measured on RabbitMQ 3.10.8 (src/logs/rabbitmq-line-format.ts): the connection process' pid after the level.
  if (t.dialect === "rabbitmq") {
    const level = { WARN: "warning", ERROR: "error", INFO: "info", NOTICE: "notice", DEBUG: "debug" }[
      t.level
    ];
    return [{ format: "file", line: `2024-05-01 12:00:01.123456+00:00 [${level}] <0.42.0> ${message}` }];
  }
  return [{ format: "iso", line: `2024-05-01T12:00:01.000Z ${t.level} ${message}` }];
}

/** A `connect nego error` line's signature comes from its rv: each nego template gets the rv its signature means. */
const NEGO_RV: Partial<Record<SignatureId, number>> = {
  "connect-timeout": 5,
  "closed-before-connect": 31,
  "bad-connect": 13,
};

const ROWS = CATALOGUE.flatMap((sig) =>
  sig.templates.flatMap((t) => {
    const era = t.since || t.until ? ` ${t.since?.join(".") ?? ""}–${t.until?.join(".") ?? ""}` : "";
    const args = t.key === "nego-rv" ? { ...ARGS, rv: NEGO_RV[sig.id] ?? 0 } : ARGS;
    const message = fillTemplate(t.text, args);
    return lineFormats(t, message).map(({ format, line }) => ({
      name: `${sig.id}/${t.key} ${t.dialect}${era} ${format}`,
      id: sig.id as SignatureId,
      template: t,
      args,
      line,
    }));
  }),
);

describe("every catalogue template, rendered in every dialect, wording and line format", () => {
  it.each(ROWS)("$name", ({ id, template, args, line }) => {
    const found = compileMatcher([template.dialect]).match(line);
    expect(found.map((m) => `${m.id}/${m.key}`)).toEqual([`${id}/${template.key}`]);
    for (const [name, value] of Object.entries(found[0]?.args ?? {}))
      expect(value).toBe(String((args as Record<string, unknown>)[name]));
    const summary = classifyText(line);
    expect(summary.files[0]?.dialect).toBe(template.dialect);
    expect(summary.unparsed).toEqual([]);
    expect([...summary.signatures.keys()]).toEqual([id]);
  });

  it("covers both NanoMQ wordings of the kick and of the rv line", () => {
    const texts = ROWS.filter((r) => r.template.dialect === "nanomq").map((r) => r.template.text);
    expect(texts).toContain("Warning: close pipe & kick client due to KeepAlive timeout!");
    expect(texts).toContain("Warning: close pipe {pipeId} & kick client due to KeepAlive timeout!");
    expect(texts).toContain("tcptran_pipe_recv_cb: parse error rv: {rv}");
    expect(texts).toContain("tcptran_pipe_recv_cb: recv_error rv: {rv}");
  });
});

describe("merged console lines (NanoMQ threads writing into one line)", () => {
  const nano = compileMatcher(["nanomq"]);

  it("finds both messages, in order, and cuts the free-text reason where the next line starts", () => {
    const line =
      "2024-05-01 12:00:01 [7] WARN  broker_tcp.c:731 tcptran_pipe_recv_cb: nni aio recv error!! Object closed" +
      "2024-05-01 12:00:01 [8] WARN  broker_tcp.c:731 tcptran_pipe_recv_cb: tcptran_pipe_recv_cb: recv_error rv: 139";
    const found = nano.match(line);
    expect(found.map((m) => m.id)).toEqual(["recv-error", "parse-error"]);
    expect(found[0]?.args.reason).toBe("Object closed");
    expect(found[1]?.args.rv).toBe("139");
  });

  it("finds a message merged without a prefix, and the same message twice", () => {
    const line =
      "2024-05-01 12:00:01 [7] WARN  x.c:1 f: nni aio recv error!! Connection shutdownnni aio recv error!! Object closed";
    const found = nano.match(line);
    expect(found.map((m) => m.args.reason)).toEqual(["Connection shutdown", "Object closed"]);
  });

  it("attributes a merged message to the thread of its own prefix", () => {
    const summary = classifyText(
      [
        "2024-05-01 12:00:01 [1] WARN  t.c:1 nano_pipe_timer_cb: Warning: close pipe 3 & kick client due to KeepAlive timeout!" +
          "2024-05-01 12:00:01 [2] WARN  r.c:2 tcptran_pipe_recv_cb: nni aio recv error!! Connection shutdown",
        "2024-05-01 12:00:01 [3] WARN  r.c:2 tcptran_pipe_recv_cb: nni aio recv error!! Object closed",
        "2024-05-01 12:00:01 [2] WARN  r.c:2 tcptran_pipe_recv_cb: tcptran_pipe_recv_cb: recv_error rv: 139",
        "2024-05-01 12:00:01 [3] WARN  r.c:2 tcptran_pipe_recv_cb: tcptran_pipe_recv_cb: recv_error rv: 139",
      ].join("\n"),
    );
    expect(
      Object.fromEntries([...summary.incidents].map(([k, v]) => [k, [v.count, v.guessed, v.incomplete]])),
    ).toEqual({
      "keepalive-timeout": [1, 0, 0],
      "peer-gone": [1, 0, 0],
    });
  });

  it("reads console lines captured with colours", () => {
    const esc = String.fromCharCode(27);
    const line = `2024-05-01 12:00:01 [1] ${esc}[33mWARN ${esc}[0m ${esc}[90mt.c:1 f: ${esc}[0mWarning: close pipe & kick client due to KeepAlive timeout!`;
    expect([...classifyText(line).signatures.keys()]).toEqual(["keepalive-timeout"]);
  });
});
