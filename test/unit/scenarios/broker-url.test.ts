import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { parseBrokerUrl } from "../../../src/scenarios/external-target.js";

describe("--broker for scenarios", () => {
  it.each([
    ["mqtt://127.0.0.1:1883", { host: "127.0.0.1", port: 1883 }],
    ["mqtt://broker.lan", { host: "broker.lan", port: 1883 }],
    ["127.0.0.1:18830", { host: "127.0.0.1", port: 18830 }],
    ["mqtt://[::1]:1884", { host: "::1", port: 1884 }],
  ])("reads %s", (text, target) => {
    expect(parseBrokerUrl(text)).toEqual(target);
  });

  it.each(["ws://127.0.0.1:8080", "mqtts://127.0.0.1:8883", "mqtt://127.0.0.1:0", "mqtt://:1883"])(
    "refuses %s as a usage error",
    (text) => {
      expect(() => parseBrokerUrl(text)).toThrow(UsageError);
    },
  );
});
