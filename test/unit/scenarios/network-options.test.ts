import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { mergeLink, withUserLink } from "../../../src/scenarios/network-link.js";
import { parseNetworkScenarioOptions } from "../../../src/scenarios/network-options.js";

describe("parseNetworkScenarioOptions", () => {
  it("nothing given: no link, each scenario's own reconnect", () => {
    expect(parseNetworkScenarioOptions({})).toEqual({});
  });

  it("the link options as parseLinkOptions reads them", () => {
    expect(parseNetworkScenarioOptions({ latency: "300ms", jitter: "100ms", linkSeed: "7" })).toEqual({
      link: { seed: 7, faults: [{ kind: "latency", direction: "both", latencyMs: 300, jitterMs: 100 }] },
    });
  });

  it.each([
    [{ reconnect: "none" }, { kind: "none" }],
    [{ reconnect: "immediate" }, { kind: "immediate", retryMs: 1000 }],
    [
      { reconnect: "immediate", reconnectDelay: "500ms" },
      { kind: "immediate", retryMs: 500 },
    ],
    [
      { reconnect: "backoff" },
      { kind: "backoff", initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.5, seed: 1 },
    ],
    [
      { reconnect: "backoff", reconnectDelay: "2s", reconnectMax: "1m", reconnectJitter: "0", linkSeed: "3" },
      { kind: "backoff", initialMs: 2000, maxMs: 60_000, factor: 2, jitter: 0, seed: 3 },
    ],
  ])("%o → %o", (raw, policy) => {
    expect(parseNetworkScenarioOptions(raw).reconnect).toEqual(policy);
  });

  it.each([
    [{ reconnect: "sometimes" }, '--reconnect: expected none, immediate, backoff, got "sometimes"'],
    [{ reconnectDelay: "1s" }, "--reconnect-delay: needs --reconnect immediate or backoff"],
    [{ reconnect: "none", reconnectDelay: "1s" }, "--reconnect none: takes no"],
    [{ reconnect: "immediate", reconnectMax: "10s" }, "--reconnect immediate: --reconnect-max"],
    [{ reconnect: "backoff", reconnectDelay: "0s" }, "--reconnect-delay: must be greater than 0"],
    [{ reconnect: "backoff", reconnectDelay: "5s", reconnectMax: "2s" }, "--reconnect-max: 2s is less than"],
    [{ reconnect: "backoff", reconnectJitter: "1.5" }, "--reconnect-jitter: expected a fraction from 0 to 1"],
    [{ stallFor: "10s" }, "--stall-for: needs --stall-at"],
    [{ latency: "soon" }, "--latency: expected a duration"],
  ])("%o is a usage error", (raw, message) => {
    expect(() => parseNetworkScenarioOptions(raw)).toThrow(UsageError);
    expect(() => parseNetworkScenarioOptions(raw)).toThrow(message);
  });
});

describe("the user's link on the subject clients", () => {
  const latency = { kind: "latency", latencyMs: 100 } as const;
  const stall = { kind: "stall", atMs: 15_000, forMs: null } as const;

  it("a subject without a link gets the user's; one with its own keeps it; no option, no link", () => {
    const link = { faults: [latency], seed: 1 };
    expect(withUserLink({ behaviour: "late-ping", intervalMs: null }, { link })).toEqual({
      behaviour: "late-ping",
      intervalMs: null,
      link,
    });
    const own = { behaviour: "healthy" as const, link: { faults: [stall] } };
    expect(withUserLink(own, { link })).toBe(own);
    expect(withUserLink({ behaviour: "rst", afterMs: 1000 }, {})).toEqual({
      behaviour: "rst",
      afterMs: 1000,
    });
  });

  it("a scenario's faults merged with the user's: same kind replaced, others added", () => {
    const user = { faults: [{ kind: "stall", atMs: 40_000, forMs: null } as const, latency], seed: 9 };
    expect(mergeLink([stall, { kind: "drop", packet: "pingresp" }], user)).toEqual({
      faults: [{ kind: "drop", packet: "pingresp" }, user.faults[0], latency],
      seed: 9,
    });
    expect(mergeLink([stall], undefined)).toEqual({ faults: [stall], seed: 1 });
  });
});
