import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { SCENARIO_CATALOGUE, SCENARIO_NAMES } from "../../../src/scenarios/catalogue.js";
import {
  parseScenarioCommand as parseWith,
  type RawScenarioOptions,
} from "../../../src/scenarios/scenario-options.js";

/** Every scenario's definition, as the CLI passes them: each one's own options are read. */
const ALL = await Promise.all(SCENARIO_CATALOGUE.map((e) => e.load()));
const parseScenarioCommand = (names: readonly string[], raw: RawScenarioOptions) =>
  parseWith(names, raw, ALL);

describe("parseScenarioCommand", () => {
  it("defaults: every scenario, keepalive 10, one client, auto scale, nanomq", () => {
    const p = parseScenarioCommand([], {});
    expect(p.names).toEqual([...SCENARIO_NAMES]);
    expect(p.options).toMatchObject({ keepaliveS: 10, clients: 1, malformed: "remaining-length-overflow" });
    expect(p.options.pingAt).toBeUndefined();
    expect(p.timeScale).toBe("auto");
    expect(p.profile.profile).toBe("nanomq");
    expect(p.broker).toBeUndefined();
  });

  it("reads names, --ping-at never and numbers, --time-scale", () => {
    const p = parseScenarioCommand(["late-ping", "tcp-rst", "late-ping"], {
      pingAt: "never",
      timeScale: "20",
      keepalive: "60",
    });
    expect(p.names).toEqual(["late-ping", "tcp-rst"]);
    expect(p.options.pingAt).toBeNull();
    expect(p.timeScale).toBe(20);
    expect(parseScenarioCommand(["late-ping"], { pingAt: "1.6" }).options.pingAt).toBe(1.6);
    expect(parseScenarioCommand([], { timeScale: "auto" }).timeScale).toBe("auto");
  });

  it("an external broker runs at real time", () => {
    const p = parseScenarioCommand(["tcp-rst"], { broker: "mqtt://127.0.0.1:1883", brokerLog: "/tmp/x.log" });
    expect(p.timeScale).toBe(1);
    expect(p.broker).toEqual({ url: "mqtt://127.0.0.1:1883", logPath: "/tmp/x.log" });
    expect(parseScenarioCommand([], { broker: "localhost:1883", timeScale: "1" }).timeScale).toBe(1);
  });

  it.each([
    [["nope"], {}],
    [[], { keepalive: "0" }],
    [[], { keepalive: "1.5" }],
    [[], { keepalive: "70000" }],
    [[], { pingAt: "-1" }],
    [[], { pingAt: "soon" }],
    [[], { malformed: "bogus" }],
    [[], { clients: "0" }],
    [[], { clients: "100000" }],
    [[], { timeScale: "fast" }],
    [[], { timeScale: "0" }],
    [[], { broker: "mqtt://127.0.0.1:1883", timeScale: "10" }],
    [[], { broker: "mqtt://127.0.0.1:1883", timeScale: "auto" }],
    [[], { timeScale: "event" }],
    [[], { brokerLog: "/tmp/x.log" }],
    [[], { profile: "emqx" }],
  ] as const)("rejects %j %j as a usage error", (names, raw) => {
    expect(() => parseScenarioCommand(names, raw)).toThrow(UsageError);
  });
});
