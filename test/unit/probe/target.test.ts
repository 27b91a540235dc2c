import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { formatTarget, parseTarget } from "../../../src/core/target.js";

describe("parseTarget", () => {
  const good: [string, ReturnType<typeof parseTarget>][] = [
    ["broker", { protocol: "mqtt", host: "broker", port: 1883, path: "" }],
    ["broker.example:1884", { protocol: "mqtt", host: "broker.example", port: 1884, path: "" }],
    ["127.0.0.1:1883", { protocol: "mqtt", host: "127.0.0.1", port: 1883, path: "" }],
    ["[::1]:1883", { protocol: "mqtt", host: "::1", port: 1883, path: "" }],
    ["[::1]", { protocol: "mqtt", host: "::1", port: 1883, path: "" }],
    ["::1", { protocol: "mqtt", host: "::1", port: 1883, path: "" }],
    ["mqtt://h", { protocol: "mqtt", host: "h", port: 1883, path: "" }],
    ["mqtts://h", { protocol: "mqtts", host: "h", port: 8883, path: "" }],
    ["MQTTS://h:9883/", { protocol: "mqtts", host: "h", port: 9883, path: "" }],
    ["ws://h:8080", { protocol: "ws", host: "h", port: 8080, path: "/mqtt" }],
    ["wss://h/custom/path?x=1", { protocol: "wss", host: "h", port: 443, path: "/custom/path?x=1" }],
    ["ws://[::1]:9001/mqtt", { protocol: "ws", host: "::1", port: 9001, path: "/mqtt" }],
  ];
  for (const [text, expected] of good) {
    it(`parses ${text}`, () => expect(parseTarget(text)).toEqual(expected));
  }

  const bad = [
    "",
    "h:0",
    "h:65536",
    "h:port",
    "h:1883:1",
    "[zz]:1883",
    "http://h",
    "mqtt://h/path",
    "mqtt://user:pw@h",
    "bad host:1883",
    "-x",
  ];
  for (const text of bad) {
    it(`rejects "${text}" with a UsageError`, () => expect(() => parseTarget(text)).toThrow(UsageError));
  }

  // Every malformed address with credentials in it: a UsageError whose message never repeats the password.
  const withCredentials = [
    "mqtt://user:pw-secret@h",
    "user:pw-secret@127.0.0.1",
    "user:pw-secret@h:1883",
    "user@pw-secret:1883",
    "mqtt://user:pw-secret@",
    "mqtt://user:pw-secret@h ost",
    "mqtt://user:pw/secret@h",
    "mqtt://user:pw@secret@h:99999",
    "ws://u:pw-secret@[::1",
  ];
  for (const text of withCredentials) {
    it(`refuses ${text} without repeating the password`, () => {
      let message = "";
      try {
        parseTarget(text);
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        message = (err as Error).message;
      }
      expect(message).not.toBe("");
      expect(message).not.toMatch(/secret|pw-|pw@|pw\//);
    });
  }

  it("formats back what a user would type", () => {
    expect(formatTarget(parseTarget("[::1]:1884"))).toBe("[::1]:1884");
    expect(formatTarget(parseTarget("wss://h"))).toBe("wss://h:443/mqtt");
    expect(formatTarget(parseTarget("ws://[::1]:9001"))).toBe("ws://[::1]:9001/mqtt");
  });
});
