import { describe, expect, it } from "vitest";
import { scanConf } from "../../../src/config/conf-scan.js";

const settings = (text: string) => Object.fromEntries(scanConf(text).entries.map((e) => [e.path, e.raw]));

describe("scanConf", () => {
  it.each([
    [
      "block",
      "mqtt {\n  retry_interval = 10s\n  keepalive_multiplier = 1.25\n}",
      { "mqtt.retry_interval": "10s", "mqtt.keepalive_multiplier": "1.25" },
    ],
    [
      "one line, commas",
      "mqtt { retry_interval = 2s, keepalive_multiplier: 2 }",
      { "mqtt.retry_interval": "2s", "mqtt.keepalive_multiplier": "2" },
    ],
    [
      "dotted keys",
      "mqtt.retry_interval = 5s\nmqtt.keepalive_multiplier=1.5",
      { "mqtt.retry_interval": "5s", "mqtt.keepalive_multiplier": "1.5" },
    ],
    ["nested blocks", "a { b { c = 1 } d = x }", { "a.b.c": "1", "a.d": "x" }],
    ["`= {` and `: {`", "a = { b = 1 }\nc: { d: 2 }", { "a.b": "1", "c.d": "2" }],
    [
      "quoted values and keys",
      'bind = "0.0.0.0:1883"\n"x.y" = "a # b"',
      { bind: "0.0.0.0:1883", "x.y": "a # b" },
    ],
    ["# and // comments", "# c\na = 1 # c\n// c\nb = 2 // c", { a: "1", b: "2" }],
    ["URLs in flat values keep their //", "url=nmq-tcp://0.0.0.0:1883", { url: "nmq-tcp://0.0.0.0:1883" }],
    [
      "arrays are kept whole, their braces never open a block",
      "to = [file, {a = 1}, console]\nb = 2",
      { to: "[file, {a = 1}, console]", b: "2" },
    ],
    ["multi-line arrays", "to = [\n file,\n console\n]\nb = 2", { to: "[\n file,\n console\n]", b: "2" }],
    ["+= and includes", 'include "other.conf"\na += 1', { a: "1" }],
    ["triple-quoted strings", 'a = """x\ny"""\nb = 2', { a: "x\ny", b: "2" }],
    ["the last value wins in the list (both kept)", "a = 1\na = 2", { a: "2" }],
    [
      "substitutions stay raw, braces and all",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: HOCON substitution syntax, not a template
      "a { b = ${x.y}, c = ${?E} }\nd = 1",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: HOCON substitution syntax, not a template
      { "a.b": "${x.y}", "a.c": "${?E}", d: "1" },
    ],
  ])("%s", (_name, text, expected) => {
    expect(settings(text)).toEqual(expected);
  });

  it("reports lines of settings, the top-level field each belongs to, and quoting", () => {
    const scan = scanConf('\n\nmqtt {\n  retry_interval = 10s\n}\nmqtt.keepalive_multiplier = "2"\n');
    expect(scan.entries).toEqual([
      { path: "mqtt.retry_interval", raw: "10s", line: 4, quoted: false, group: 0, topKey: "mqtt" },
      {
        path: "mqtt.keepalive_multiplier",
        raw: "2",
        line: 6,
        quoted: true,
        group: 1,
        topKey: "mqtt.keepalive_multiplier",
      },
    ]);
    expect(scan.blocks).toBe(true);
    expect(scan.multiLineBlockAt).toBe(3);
  });

  it.each([
    ["a one-line block", "mqtt { retry_interval = 2s }", null],
    [
      "a JSON value on its line (the flat nanomq_old.conf)",
      'a.user_property={"key1":"value1","key2":"v"}',
      null,
    ],
    ["braces in comments", "# password = {include x}\n// a {\nb = 1", null],
    ["a block over lines", "a = 1\nlog {\n level = warn\n}", 2],
  ])("multiLineBlockAt: %s", (_name, text, at) => {
    expect(scanConf(text).multiLineBlockAt).toBe(at);
  });

  it.each([
    ["unclosed block", "mqtt {\n a = 1\n", [{ line: 1, problem: "unclosed-block" }]],
    ["stray close", "a = 1\n}\n", [{ line: 2, problem: "unexpected-close" }]],
    ["missing value", "a =\nb = 2", [{ line: 1, problem: "missing-value" }]],
    ["prose", "hello world", [{ line: 1, problem: "missing-separator" }]],
    ["unclosed string", 'a = "x\nb = 2', [{ line: 1, problem: "unclosed-string" }]],
    ["unclosed array", "a = [1,\n2", [{ line: 1, problem: "unclosed-array" }]],
    ["unclosed substitution", "a = ${x\nb = 2", [{ line: 1, problem: "unclosed-substitution" }]],
  ])("tolerates %s and says where", (_name, text, issues) => {
    expect(scanConf(text).issues).toEqual(issues);
  });

  it("lists includes with their targets", () => {
    expect(scanConf('a = 1\ninclude "x.conf" # c\ninclude required(file("/etc/y.conf"))').includes).toEqual([
      { line: 2, target: "x.conf" },
      { line: 3, target: "/etc/y.conf" },
    ]);
  });

  it("an include inside braces, as the shipped nanomq_example.conf writes it, ends at the brace", () => {
    const scan = scanConf('auth {\n  password = {include "/etc/nanomq_pwd.conf"}\n  x = 1\n}\n');
    expect(scan.includes).toEqual([{ line: 2, target: "/etc/nanomq_pwd.conf" }]);
    expect(scan.issues).toEqual([]);
    expect(scan.entries.map((e) => e.path)).toEqual(["auth.x"]);
  });

  it("keeps reading after a problem", () => {
    expect(settings("a =\n}\nb = 2\nhello world\nc = 3")).toEqual({ b: "2", c: "3" });
  });
});
