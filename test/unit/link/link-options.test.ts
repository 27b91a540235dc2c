import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/core/errors.js";
import { parseLinkOptions, parseRate } from "../../../src/link/link-options.js";

describe("parseLinkOptions", () => {
  it("no link option: no link", () => {
    expect(parseLinkOptions({})).toBeUndefined();
  });

  it("--latency 300ms --jitter 200ms --stall-at 20s --stall-for 60s", () => {
    expect(parseLinkOptions({ latency: "300ms", jitter: "200ms", stallAt: "20s", stallFor: "60s" })).toEqual({
      seed: 1,
      faults: [
        { kind: "latency", direction: "both", latencyMs: 300, jitterMs: 200 },
        { kind: "stall", direction: "both", atMs: 20_000, forMs: 60_000, release: "flush" },
      ],
    });
  });

  it("a stall for good, one way, stranding; resets, slow close, bandwidth, ping faults, seed", () => {
    expect(
      parseLinkOptions({ stallAt: "5s", linkDirection: "to-client", stallFor: "forever" })?.faults,
    ).toEqual([{ kind: "stall", direction: "to-client", atMs: 5000, forMs: null, release: "flush" }]);
    expect(parseLinkOptions({ stallAt: "20s", stallScope: "existing" })?.faults).toEqual([
      { kind: "stall", direction: "both", atMs: 20_000, forMs: null, release: "flush", scope: "existing" },
    ]);
    expect(
      parseLinkOptions({
        stallAt: "1m",
        stallFor: "30s",
        stallRelease: "strand",
        resetAt: "90s",
        slowClose: "2s",
        bandwidth: "64KB/s",
        drop: "pingresp,pingreq",
        delayPingreq: "1.5s",
        delayPingresp: "500ms",
        linkSeed: "7",
      }),
    ).toEqual({
      seed: 7,
      faults: [
        { kind: "bandwidth", direction: "both", bytesPerSecond: 64_000 },
        { kind: "stall", direction: "both", atMs: 60_000, forMs: 30_000, release: "strand" },
        { kind: "slow-close", direction: "both", delayMs: 2000 },
        { kind: "reset", direction: "both", atMs: 90_000 },
        { kind: "drop", packet: "pingresp" },
        { kind: "drop", packet: "pingreq" },
        { kind: "delay", packet: "pingreq", delayMs: 1500 },
        { kind: "delay", packet: "pingresp", delayMs: 500 },
      ],
    });
  });

  it.each([
    ["500B/s", 500],
    ["64KB/s", 64_000],
    ["1.5MB/s", 1_500_000],
    ["1KiB/s", 1024],
    ["2mib", 2 * 1_048_576],
  ])("rate %s = %i bytes/s", (text, bytes) => {
    expect(parseRate(text)).toBe(bytes);
  });

  it.each([
    [{ jitter: "100ms" }, /--jitter: needs --latency/],
    [{ latency: "100ms", jitter: "200ms" }, /--jitter: 200ms is more than --latency 100ms/],
    [{ latency: "fast" }, /--latency: expected a duration/],
    [{ stallFor: "10s" }, /--stall-for: needs --stall-at/],
    [{ stallAt: "10s", stallFor: "0s" }, /--stall-for: must be greater than 0/],
    [{ stallAt: "10s", stallRelease: "maybe" }, /--stall-release: expected flush or strand/],
    [{ stallAt: "10s", stallRelease: "strand" }, /--stall-release strand: needs --stall-for/],
    [{ stallRelease: "flush" }, /--stall-release: needs --stall-at/],
    [{ stallScope: "existing" }, /--stall-scope: needs --stall-at/],
    [{ stallAt: "1s", stallScope: "some" }, /--stall-scope: expected all or existing/],
    [{ bandwidth: "fast" }, /--bandwidth: expected a rate/],
    [{ bandwidth: "0KB/s" }, /--bandwidth: expected a rate/],
    [{ bandwidth: "10kbit/s" }, /--bandwidth: expected a rate/],
    [{ drop: "publish" }, /--drop: expected pingreq, pingresp/],
    [{ linkDirection: "up", latency: "1s" }, /--link-direction: expected to-broker, to-client, both/],
    [{ linkDirection: "both" }, /--link-direction: needs a fault/],
    [{ slowClose: "0ms" }, /--slow-close: must be greater than 0/],
    [{ delayPingresp: "soon" }, /--delay-pingresp: expected a duration/],
    [{ linkSeed: "-1" }, /--link-seed: expected a whole number/],
  ])("%j is a usage error", (raw, message) => {
    expect(() => parseLinkOptions(raw)).toThrow(UsageError);
    expect(() => parseLinkOptions(raw)).toThrow(message);
  });
});
