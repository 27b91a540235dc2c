import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ConfigFinding } from "../../../src/config/config-finding.js";
import { buildConfigReport, configExitStatus } from "../../../src/config/config-report.js";
import { interpretNanomqConf } from "../../../src/config/nanomq-conf.js";
import { keyOf, lineOf } from "../../helpers/config-finding.js";

const fixture = (name: string) =>
  interpretNanomqConf(readFileSync(new URL(`../../fixtures/conf/${name}`, import.meta.url), "utf8"));

interface Row {
  file: string;
  format: "hocon" | "flat";
  retryIntervalMs: number;
  multiplier: number;
  fromFile: [boolean, boolean];
  codes: string[];
  exit: number;
}

const TABLE: Row[] = [
  {
    file: "nanomq-shipped.conf",
    format: "hocon",
    retryIntervalMs: 10_000,
    multiplier: 1.25,
    fromFile: [true, true],
    // KA 30, 60, 120 can be kicked before 1.5 × KA; 10 cannot (Q dominates).
    codes: ["kick-before-spec-deadline", "kick-before-spec-deadline", "kick-before-spec-deadline"],
    exit: 0,
  },
  {
    file: "hocon-dotted.conf",
    format: "hocon",
    retryIntervalMs: 5000,
    multiplier: 1.5,
    fromFile: [true, true],
    codes: [],
    exit: 0,
  },
  {
    // `2000ms` is 2000 MINUTES to NanoMQ: get_time takes the first unit letter only (measured on both builds).
    file: "hocon-one-line.conf",
    format: "hocon",
    retryIntervalMs: 120_000_000,
    multiplier: 2,
    fromFile: [true, true],
    codes: ["value-coerced"],
    exit: 0,
  },
  {
    file: "hocon-defaults.conf",
    format: "hocon",
    retryIntervalMs: 10_000,
    multiplier: 1.5,
    fromFile: [false, false],
    codes: ["multiplier-default"],
    exit: 0,
  },
  {
    // `retry_interval = soon`: get_time fails and NanoMQ stores 0 s, so no client is ever kicked.
    file: "hocon-broken.conf",
    format: "hocon",
    retryIntervalMs: 0,
    multiplier: 1.25,
    fromFile: [true, true],
    codes: ["syntax", "syntax", "value-invalid", "key-ignored", "key-ignored", "retry-interval-zero"],
    exit: 1,
  },
  {
    file: "flat-old.conf",
    format: "flat",
    retryIntervalMs: 10_000,
    multiplier: 1250,
    fromFile: [true, true],
    codes: ["flat-format", "keepalive-backoff-trap"],
    exit: 1,
  },
  {
    file: "flat-fixed.conf",
    format: "flat",
    retryIntervalMs: 5000,
    multiplier: 1.25,
    fromFile: [true, true],
    codes: [
      "flat-format",
      "kick-before-spec-deadline",
      "kick-before-spec-deadline",
      "kick-before-spec-deadline",
    ],
    exit: 0,
  },
];

describe("NanoMQ config fixtures", () => {
  it.each(TABLE)("$file", (row) => {
    const conf = fixture(row.file);
    expect(conf.format).toBe(row.format);
    expect(conf.retryInterval.value).toBe(row.retryIntervalMs);
    expect(conf.keepaliveMultiplier.value).toBe(row.multiplier);
    expect([conf.retryInterval.source === "file", conf.keepaliveMultiplier.source === "file"]).toEqual(
      row.fromFile,
    );
    const report = buildConfigReport(row.file, conf);
    expect(report.findings.map((f) => f.code)).toEqual(row.codes);
    expect(configExitStatus(report)).toBe(row.exit);
  });

  it("names the key and line a setting came from", () => {
    const conf = fixture("nanomq-shipped.conf");
    expect(conf.retryInterval).toEqual({
      value: 10_000,
      source: "file",
      key: "mqtt.retry_interval",
      line: 12,
      raw: "10s",
    });
    expect(conf.keepaliveMultiplier.line).toBe(13);
  });

  it("the broken file: where, and what is ignored", () => {
    const findings = buildConfigReport("x", fixture("hocon-broken.conf")).findings;
    expect(findings.filter((f) => f.code === "syntax").map((f) => f.args)).toEqual([
      { line: 2, problem: "unexpected-close" },
      { line: 3, problem: "unclosed-block" },
    ]);
    expect(findings.filter((f) => f.code === "key-ignored").map((f) => [f.args.key, f.args.reads])).toEqual([
      ["retry_interval", "mqtt.retry_interval"],
      ["mqtt.keepalive_backoff", "mqtt.keepalive_multiplier"],
    ]);
    expect(findings.find((f) => f.code === "value-invalid")?.args).toMatchObject({
      key: "mqtt.retry_interval",
      value: "soon",
      line: 6,
    });
  });

  it("the keepalive_backoff trap: 1250 read as a multiplier", () => {
    const trap = buildConfigReport("x", fixture("flat-old.conf")).findings.find(
      (f) => f.code === "keepalive-backoff-trap",
    );
    if (trap?.code !== "keepalive-backoff-trap") throw new Error("no keepalive-backoff-trap finding");
    expect(trap).toMatchObject({
      code: "keepalive-backoff-trap",
      severity: "error",
      args: { key: "keepalive_backoff", value: "1250", multiplier: 1250, likelyMeant: 1.25, keepaliveS: 60 },
    });
    // 60 s × 1250 = 75 000 s of silence, in ticks of 10 s: kicked no sooner than 75 010 s (~20.8 h).
    expect(trap.args.kickAfterMs).toBe(75_010_000);
    // 525 s × 1250 / 10 s = 65 625 idle ticks: more than the 16-bit counter holds, so never.
    expect(trap.args.neverFromKeepaliveS).toBe(525);
  });

  it("a HOCON multiplier of 2000 is the same trap under its own code", () => {
    const conf = interpretNanomqConf("mqtt { keepalive_multiplier = 2000 }");
    expect(buildConfigReport("x", conf).findings.map((f) => f.code)).toEqual([
      "multiplier-disables-keepalive",
    ]);
  });

  it("a multiplier below 1 kicks clients that ping every keepalive", () => {
    const conf = interpretNanomqConf("mqtt { retry_interval = 10s, keepalive_multiplier = 0.5 }");
    const codes = buildConfigReport("x", conf, [60]).findings.map((f) => f.code);
    expect(codes).toEqual(["compliant-client-kicked"]);
  });

  it("HOCON substitutions (NanoMQ's parser rejects them) and includes: reported, never read as a block or as a value", () => {
    const conf = interpretNanomqConf(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: HOCON substitution syntax, not a template
      'include required(file("base.conf"))\nmqtt {\n  retry_interval = ${?RETRY}\n  keepalive_multiplier = ${KA}\n}\n',
    );
    expect([conf.retryInterval.source, conf.keepaliveMultiplier.source]).toEqual(["default", "default"]);
    const named = (f: ConfigFinding) =>
      f.code === "include-not-read" ? f.args.target : lineOf(f) && keyOf(f);
    expect(conf.findings.map((f) => [f.code, f.severity, named(f), lineOf(f)])).toEqual([
      ["value-unresolved", "error", "mqtt.retry_interval", 3],
      ["value-unresolved", "error", "mqtt.keepalive_multiplier", 4],
      ["include-not-read", "warning", "base.conf", 1],
    ]);
    expect(configExitStatus(buildConfigReport("x", conf))).toBe(1);
  });

  it("a substitution elsewhere in a block: the keepalive keys are read, but NanoMQ's parser rejects the file", () => {
    const conf = interpretNanomqConf(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: HOCON substitution syntax, not a template
      "mqtt {\n  max_packet_size = ${SIZE}\n  retry_interval = 5s\n  keepalive_multiplier = 2\n}\n",
    );
    expect([conf.retryInterval.value, conf.keepaliveMultiplier.value]).toEqual([5000, 2]);
    expect(conf.findings.map((f) => [f.code, f.severity, lineOf(f)])).toEqual([
      ["value-rejected", "error", 2],
    ]);
  });
});
