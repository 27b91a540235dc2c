import { describe, expect, it } from "vitest";
import { cAtof, cAtoi, hoconNumber, nanomqGetTimeS } from "../../../src/config/conf-values.js";
import { buildConfigReport, configExitStatus } from "../../../src/config/config-report.js";
import { scanFlatConf } from "../../../src/config/flat-scan.js";
import { hoconRejectsUnquoted, interpretNanomqConf } from "../../../src/config/nanomq-conf.js";
import { lineOf } from "../../helpers/config-finding.js";

/*
 * Every expectation here was measured with NanoMQ's own readers (conf_parse / conf_parse_ver2 from the real
 * 0.21.9 and 0.25.3 builds, linked into a harness that prints qos_duration and backoff); both versions agree
 * unless a test says otherwise.
 */
const qm = (text: string, flat = false) => {
  const conf = interpretNanomqConf(text, flat ? { format: "flat" } : {});
  return [conf.retryInterval.value / 1000, conf.keepaliveMultiplier.value];
};
const codes = (text: string, flat = false, keepalives = [60]) =>
  buildConfigReport("x", interpretNanomqConf(text, flat ? { format: "flat" } : {}), keepalives).findings.map(
    (f) => f.code,
  );

describe("the flat reader (nanomq start --old_conf)", () => {
  it.each([
    ["plain", "qos_duration=5\nkeepalive_backoff=1.25\n", [5, 1.25]],
    ["blanks and an inline comment", "qos_duration = 5\nkeepalive_backoff = 1.25 # comment\n", [5, 1.25]],
    [
      "a # before the key comments the line out",
      "#keepalive_backoff=3\nx=1 # keepalive_backoff=4\n",
      [10, 1.5],
    ],
    ["atoi: 5s is 5, 1m is 1, 0.5 is 0", "qos_duration=1m\n", [1, 1.5]],
    ["atof: 1e3 is 1000", "keepalive_backoff=1e3\n", [10, 1000]],
    ["atof: abc is 0", "keepalive_backoff=abc\n", [10, 0]],
    ["an empty value is 0", "qos_duration=\n", [0, 1.5]],
    ["the last line wins", "keepalive_backoff=7\nkeepalive_backoff=8\n", [10, 8]],
    ["// is no comment to it, but the key no longer matches", "// keepalive_backoff=3\n", [10, 1.5]],
    ["a HOCON line inside a block is still a line", "system {\n  qos_duration = 3\n}\n", [3, 1.5]],
  ])("%s", (_name, text, expected) => {
    expect(qm(text, true)).toEqual(expected);
  });

  it("line splitting as get_conf_value does it", () => {
    expect(scanFlatConf("  a = b = c \n=x\n# k=v\nk\n\tq=1 # c\r\n")).toEqual([
      { key: "a", raw: "b = c", line: 1, equals: true },
      { key: "k", raw: "", line: 4, equals: false },
      { key: "q", raw: "1 # c\r", line: 5, equals: true },
    ]);
  });

  it("values NanoMQ reads differently from what is written are named", () => {
    expect(codes("qos_duration=1m\nkeepalive_backoff=1.25\n", true)).toContain("value-coerced");
    expect(codes("qos_duration=5\nkeepalive_backoff=1.25 # c\n", true)).not.toContain("value-coerced");
    expect(codes("keepalive_backoff=7\nkeepalive_backoff=1.5\n", true)).toContain("key-overridden");
  });

  it("qos_duration=0.5 is 0 s: never kicked (measured: a keepalive-1 client still open after 5 s)", () => {
    const found = codes("qos_duration=0.5\nkeepalive_backoff=1.25\n", true);
    expect(found).toEqual(["value-coerced", "retry-interval-zero"]);
    const report = buildConfigReport(
      "x",
      interpretNanomqConf("qos_duration=0\n", { format: "flat" }),
      [1, 60],
    );
    expect(report.keepalives.map((k) => k.kickAfterSilentConnectMs)).toEqual([null, null]);
    expect(configExitStatus(report)).toBe(1);
  });

  it("keepalive_backoff=abc is 0: kicked at the second tick (measured: 2.5 s at Q 1 s)", () => {
    const report = buildConfigReport(
      "x",
      interpretNanomqConf("qos_duration=1\nkeepalive_backoff=abc\n", { format: "flat" }),
      [1, 60],
    );
    expect(report.keepalives.map((k) => k.kickAfterSilentConnectMs)).toEqual([2500, 2500]);
    expect(report.findings.map((f) => f.code)).toContain("compliant-client-kicked");
  });
});

describe("the HOCON reader (nanomq start --conf)", () => {
  it.each([
    ["the shipped form", "mqtt {\n retry_interval = 10s\n keepalive_multiplier = 1.25\n}\n", [10, 1.25]],
    [
      "a bare-number retry_interval is skipped",
      "mqtt {\n retry_interval = 5\n keepalive_multiplier = 2\n}\n",
      [10, 2],
    ],
    ["a quoted duration is read", 'mqtt {\n retry_interval = "5s"\n}\n', [5, 1.5]],
    ["a quoted multiplier is skipped", 'mqtt {\n keepalive_multiplier = "2"\n}\n', [10, 1.5]],
    ["500ms is 500 minutes", "mqtt {\n retry_interval = 500ms\n}\n", [30_000, 1.5]],
    ["1m is 60 s", "mqtt {\n retry_interval = 1m\n}\n", [60, 1.5]],
    ["10S (capital) is 0 s", "mqtt {\n retry_interval = 10S\n}\n", [0, 1.5]],
    ['"10" (no unit) is 0 s', 'mqtt {\n retry_interval = "10"\n}\n', [0, 1.5]],
    ["a multiplier of 0 or below is skipped", "mqtt { keepalive_multiplier = -3 }\n", [10, 1.5]],
    [".5 is read as 5", "mqtt {\n keepalive_multiplier = .5\n}\n", [10, 5]],
    ["1e3 is 1000", "mqtt {\n keepalive_multiplier = 1e3\n}\n", [10, 1000]],
    ["keys are case-insensitive", "MQTT {\n Keepalive_Multiplier = 3\n}\n", [10, 3]],
    [
      "within one block the last wins",
      "mqtt { keepalive_multiplier = 2 \n keepalive_multiplier = 3 }\n",
      [10, 3],
    ],
    [
      "across blocks the FIRST wins",
      "mqtt { keepalive_multiplier = 2 }\nmqtt { keepalive_multiplier = 3 }\n",
      [10, 2],
    ],
    [
      "first of three blocks, the others merged in",
      "mqtt { keepalive_multiplier = 2 }\nmqtt { retry_interval = 3s }\nmqtt { keepalive_multiplier = 4 }\n",
      [3, 2],
    ],
    [
      "a dotted key loses to a block after it",
      "mqtt.keepalive_multiplier = 2\nmqtt { keepalive_multiplier = 3 }\n",
      [10, 3],
    ],
    [
      "a dotted key loses to a block before it",
      "mqtt { keepalive_multiplier = 2 }\nmqtt.keepalive_multiplier = 3\n",
      [10, 2],
    ],
    [
      "of two dotted keys the first wins",
      "mqtt.keepalive_multiplier = 2\nmqtt.keepalive_multiplier = 3\n",
      [10, 2],
    ],
    ["flat keys are not read", "mqtt {\n retry_interval = 2s\n}\nkeepalive_backoff = 1250\n", [2, 1.5]],
  ])("%s", (_name, text, expected) => {
    expect(qm(text)).toEqual(expected);
  });

  it("skipped, coerced and overridden values are findings", () => {
    expect(codes("mqtt {\n retry_interval = 5\n}\n")).toContain("value-ignored");
    expect(codes("mqtt {\n retry_interval = 500ms\n}\n")).toContain("value-coerced");
    expect(codes("mqtt {\n retry_interval = 10S\n}\n")).toEqual([
      "value-invalid",
      "multiplier-default",
      "retry-interval-zero",
    ]);
    expect(codes("mqtt { keepalive_multiplier = 2 }\nmqtt { keepalive_multiplier = 3 }\n")).toContain(
      "key-overridden",
    );
  });

  it("unquoted values NanoMQ's HOCON scanner rejects (the whole file then fails)", () => {
    for (const v of [
      "0.0.0.0",
      "1.2.3",
      "a/b",
      "tcp://x",
      "10sec",
      "5min",
      "1h30m",
      "1abc",
      "5 s",
      "1.5s",
      "0x10",
      "1_000",
      "1+2",
    ])
      expect([v, hoconRejectsUnquoted(v)]).toEqual([v, true]);
    for (const v of [
      "admin",
      "warn",
      "a.b",
      "a-b",
      "a@b",
      "abc123",
      "10KB",
      "10ms",
      "10s",
      "1GB",
      "true",
      "1.25",
      "+2",
      "2.",
    ])
      expect([v, hoconRejectsUnquoted(v)]).toEqual([v, false]);
    expect(codes("http_server {\n ip_addr = 0.0.0.0\n}\n")).toContain("value-rejected");
    expect(codes('http_server {\n ip_addr = "0.0.0.0"\n}\n')).not.toContain("value-rejected");
  });
});

describe("format detection", () => {
  const format = (text: string) => interpretNanomqConf(text).format;
  it.each([
    [
      "flat keys with a JSON value",
      'qos_duration=10\nkeepalive_backoff=1250\nx.user_property={"key1":"v1","key2":"v2"}\n',
      "flat",
    ],
    [
      "flat keys after a value opening a { never closed",
      "a.b={\nqos_duration=10\nkeepalive_backoff=1250\n",
      "flat",
    ],
    ["flat keys, braces in comments", "## broker will {disclose}\n# a {\nkeepalive_backoff=1250\n", "flat"],
    [
      "a HOCON block, braces in comments",
      "# x = {include y}\nmqtt {\n keepalive_multiplier = 3 # }\n}\n",
      "hocon",
    ],
    ["dotted HOCON keys, no block", "mqtt.retry_interval = 5s\nmqtt.keepalive_multiplier = 2\n", "hocon"],
    ["one-line HOCON", "mqtt { retry_interval = 2s, keepalive_multiplier = 2 }\n", "hocon"],
    ["a flat file without keepalive keys", "url=nmq-tcp://0.0.0.0:1883\nparallel=4\n", "flat"],
    ["a HOCON fragment (nanomq_pwd.conf)", '"admin": "public"\n', "hocon"],
    [
      "flat keepalive keys in a HOCON file",
      "mqtt {\n max_packet_size = 1KB\n}\nkeepalive_backoff = 1250\n",
      "hocon",
    ],
    ["prose", "Dear operator,\nthis is a letter.\n", "neither"],
    ["mosquitto.conf", "listener 1883\nallow_anonymous true\n", "neither"],
  ])("%s → %s", (_name, text, expected) => {
    expect(format(text)).toBe(expected);
  });

  it("--old-conf on a HOCON file: read flat, and said so", () => {
    const conf = interpretNanomqConf("mqtt {\n  retry_interval = 2s\n  keepalive_multiplier = 3\n}\n", {
      format: "flat",
    });
    expect([conf.retryInterval.source, conf.keepaliveMultiplier.source]).toEqual(["default", "default"]);
    expect(conf.findings.map((f) => [f.code, lineOf(f)])).toEqual([
      ["format-forced", 1],
      ["key-ignored", 2],
      ["key-ignored", 3],
      ["multiplier-default", undefined],
    ]);
  });

  it("a flat keepalive key in a HOCON file points at --old-conf", () => {
    const f = interpretNanomqConf(
      "mqtt {\n retry_interval = 2s\n}\nkeepalive_backoff = 1250\n",
    ).findings.find((x) => x.code === "key-ignored");
    expect(f?.args).toMatchObject({
      key: "keepalive_backoff",
      flatKey: 1,
      reads: "mqtt.keepalive_multiplier",
    });
  });
});

describe("the 16-bit idle-tick counter", () => {
  it("M 1250, Q 10 s: keepalive 524 is kicked after ~7.6 days, 525 never", () => {
    const report = buildConfigReport(
      "x",
      interpretNanomqConf("qos_duration=10\nkeepalive_backoff=1250\n", { format: "flat" }),
      [524, 525],
    );
    expect(report.keepalives.map((k) => k.kickAfterLastPacket?.minMs ?? null)).toEqual([655_010_000, null]);
  });
});

describe("C number readers", () => {
  it.each([
    ["10", 10],
    [" 10s", 10],
    ["0.5", 0],
    ["abc", 0],
    ["-5", -5],
    ["", 0],
  ])("atoi(%j) = %d", (raw, n) => expect(cAtoi(raw)).toBe(n));
  it.each([
    ["1250", 1250],
    ["1.25 # c", 1.25],
    [".5", 0.5],
    ["1e3", 1000],
    ["abc", 0],
  ])("atof(%j) = %d", (raw, n) => expect(cAtof(raw)).toBe(n));
  it.each([
    ["10s", 10],
    ["1m", 60],
    ["2h", 7200],
    ["1d", 86_400],
    ["500ms", 30_000],
    ["10", 0],
    ["10 s", 0],
    ["-5s", 0],
    ["x", 0],
  ])("get_time(%j) = %d s", (raw, s) => expect(nanomqGetTimeS(raw)).toBe(s));
  it("HOCON numbers", () => {
    expect([hoconNumber("1.25"), hoconNumber("10s"), hoconNumber(".5"), hoconNumber("+2")]).toEqual([
      1.25,
      undefined,
      5,
      2,
    ]);
  });
});
