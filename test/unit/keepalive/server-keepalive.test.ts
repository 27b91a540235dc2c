import { describe, expect, it } from "vitest";
import { parseProfileOptions } from "../../../src/core/options.js";
import { keepaliveInForce } from "../../../src/keepalive/server-keepalive.js";

/** [MQTT-3.1.2-21] (5.0): Server Keep Alive replaces the client's keepalive; 3.1.1 has no such property. */
describe("keepaliveInForce", () => {
  it.each([
    // rule, asked, protocol → in force, CONNACK Server Keep Alive
    [undefined, 60, 5, 60, undefined],
    [{ rule: "impose", seconds: 10 } as const, 60, 5, 10, 10],
    [{ rule: "impose", seconds: 10 } as const, 5, 5, 10, 10], // imposed also when the client asked less
    [{ rule: "impose", seconds: 10 } as const, 0, 5, 10, 10],
    [{ rule: "impose", seconds: 10 } as const, 60, 4, 60, undefined], // 3.1.1 keeps its own
    [{ rule: "cap", seconds: 60 } as const, 120, 5, 60, 60],
    [{ rule: "cap", seconds: 60 } as const, 0, 5, 60, 60], // 0 (no keepalive) is capped too
    [{ rule: "cap", seconds: 60 } as const, 60, 5, 60, undefined], // at the cap: untouched, no property
    [{ rule: "cap", seconds: 60 } as const, 10, 5, 10, undefined],
    [{ rule: "cap", seconds: 60 } as const, 120, 4, 120, undefined], // mosquitto 2.0.11 leaves 3.1.1 alone
  ])(
    "%j, asked %i on v%i → %i s in force, Server Keep Alive %j",
    (rule, asked, version, keepaliveS, server) => {
      expect(keepaliveInForce(rule, asked, version)).toEqual({ keepaliveS, serverKeepAliveS: server });
    },
  );
});

describe("--server-keepalive / --max-keepalive", () => {
  it("spec takes --server-keepalive, mosquitto --max-keepalive (≥ 10, as mosquitto 2.0.11 starts)", () => {
    expect(parseProfileOptions({ profile: "spec", serverKeepalive: "5s" }).serverKeepalive).toEqual({
      rule: "impose",
      seconds: 5,
    });
    expect(parseProfileOptions({ profile: "mosquitto", maxKeepalive: "10" }).serverKeepalive).toEqual({
      rule: "cap",
      seconds: 10,
    });
    expect(parseProfileOptions({ profile: "nanomq" }).serverKeepalive).toBeUndefined();
  });

  it("spec also takes a cap, with no floor: the spec allows any Server Keep Alive", () => {
    expect(parseProfileOptions({ profile: "spec", maxKeepalive: "5" }).serverKeepalive).toEqual({
      rule: "cap",
      seconds: 5,
    });
  });

  it.each([
    [{ serverKeepalive: "5" }, "--server-keepalive: the nanomq profile has no such setting"],
    [{ profile: "nanomq", maxKeepalive: "60" }, "--max-keepalive: the nanomq profile has no such setting"],
    [
      { profile: "mosquitto", serverKeepalive: "60" },
      "--server-keepalive: the mosquitto profile's setting is --max-keepalive",
    ],
    [
      { profile: "mosquitto", maxKeepalive: "9" },
      "--max-keepalive: mosquitto refuses max_keepalive below 10",
    ],
    [
      { profile: "spec", serverKeepalive: "1.5" },
      "--server-keepalive: expected whole seconds from 0 to 65535",
    ],
    [{ profile: "spec", serverKeepalive: "5", maxKeepalive: "10" }, "give one or the other"],
  ])("%j is refused: %s", (raw, message) => {
    expect(() => parseProfileOptions(raw)).toThrow(message);
  });
});
