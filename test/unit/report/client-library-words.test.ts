import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS } from "../../../src/core/profile.js";
import type { ClientRecord } from "../../../src/fleet/types.js";
import { clientModel } from "../../../src/keepalive/clients/catalogue.js";
import { clientVersusBroker } from "../../../src/keepalive/clients/versus-broker.js";
import { clientLibrarySummary } from "../../../src/report/client-library-lines.js";
import { closedText } from "../../../src/report/close-words.js";
import type { ClientLibraryOutcome } from "../../../src/scenarios/client-library-outcome.js";

const Q1 = { ...DEFAULT_PROFILE_OPTIONS, retryIntervalMs: 1000, keepaliveMultiplier: 1.25 };

function outcome(loopIntervalMs: number, seen: Partial<ClientLibraryOutcome["seen"]>, real = true) {
  const forecast = clientVersusBroker(
    clientModel("mqtt-c"),
    { keepaliveMs: 3000, oneWayLatencyMs: 0, loopIntervalMs },
    Q1,
  );
  const o: ClientLibraryOutcome = {
    library: { id: "mqtt-c", name: "MQTT-C", version: "1.1.6", real },
    rule: clientModel("mqtt-c").rule,
    keepaliveMs: 3000,
    loopIntervalMs,
    forecast,
    seen: { first: "nobody", kickedAtMs: null, clientEndedAtMs: null, lost: null, pingGapsMs: [], ...seen },
    observedMs: 12_020,
  };
  return o;
}

describe("client-library's glance sentence", () => {
  it("kicked: who ran, when, its ping rhythm against the broker's kick", () => {
    expect(clientLibrarySummary(outcome(1500, { first: "broker", kickedAtMs: 5510 }))).toBe(
      "real MQTT-C 1.1.6 kicked at 5.5 s: pings every 6.0 s, broker kicks at 5.5 s",
    );
  });

  it("phase-dependent: survived this run, and how often it would not", () => {
    expect(clientLibrarySummary(outcome(100, {}, false))).toBe(
      "MQTT-C 1.1.6's model survived 12.0 s: pings every 3.9–4.0 s, kicked in ~9 % of phases (7.5–59.5 s)",
    );
  });
});

describe("how a connection ended, in words", () => {
  const r = (over: Partial<ClientRecord>) => ({
    closedBy: null,
    closeKind: null,
    reasonCode: null,
    notes: {},
    ...over,
  });
  it("says what is known and leaves out what is not", () => {
    expect(closedText(r({ closedBy: "broker", closeKind: "FIN", reasonCode: 0x8d }))).toBe(
      "closed by broker (FIN 0x8d)",
    );
    // a real library's program: no close kind, its own reason
    expect(closedText(r({ closedBy: "broker", notes: { lost: "MQTT_ERROR_SOCKET_ERROR" } }))).toBe(
      "closed by broker (MQTT_ERROR_SOCKET_ERROR)",
    );
    expect(closedText(r({ closedBy: "broker" }))).toBe("closed by broker");
    expect(closedText(r({}))).toBe("closed");
  });
});
