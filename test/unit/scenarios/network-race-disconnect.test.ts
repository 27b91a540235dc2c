import { describe, expect, it } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import { clientModel } from "../../../src/keepalive/clients/catalogue.js";
import { CLIENT_LIBRARY_IDS } from "../../../src/keepalive/clients/types.js";
import { raceChecks } from "../../../src/scenarios/network-race-checks.js";
import { raceExpectation } from "../../../src/scenarios/network-race-expected.js";
import { raceForecast } from "../../../src/scenarios/network-race-run.js";
import { NETWORK_STALL } from "../../../src/scenarios/network-stall.js";
import { PINGRESP_LOST } from "../../../src/scenarios/pingresp-lost.js";
import { DEFAULT_SCENARIO_OPTIONS, type ScenarioOptions } from "../../../src/scenarios/types.js";

/**
 * A library that sends DISCONNECT when it gives up (`disconnectsOnGiveUp`, measured: Paho C 1.3.12) ends the old
 * connection by it where the link carries it to the broker (pingresp-lost drops only PINGRESPs), not where the
 * link holds it (network-stall): there its reconnect still takes over.
 */
const nanomq: ProfileOptions = DEFAULT_PROFILE_OPTIONS; // Q 10 s: the kick is far after any give-up at KA 2
const mosquitto: ProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" };
const opts = (clientLibrary: ScenarioOptions["clientLibrary"]): ScenarioOptions => ({
  ...DEFAULT_SCENARIO_OPTIONS,
  keepaliveS: 2,
  clients: 1,
  clientLibrary,
});

describe("the client's DISCONNECT at its give-up", () => {
  it("only Paho C among the models says it sends one (measured); every model says how it knows", () => {
    expect(CLIENT_LIBRARY_IDS.filter((id) => clientModel(id).disconnectsOnGiveUp.sends)).toEqual(["paho-c"]);
    for (const id of CLIENT_LIBRARY_IDS) expect(clientModel(id).disconnectsOnGiveUp.evidence).not.toBe("");
  });

  it("pingresp-lost, Paho C at KA 2: the client first, the old connection ended by its DISCONNECT", () => {
    expect(raceForecast(PINGRESP_LOST, nanomq, opts("paho-c"))).toMatchObject({
      first: "client",
      oldConnectionEnds: "disconnect",
    });
  });

  it("pingresp-lost, Paho Python at KA 2 (no DISCONNECT): its reconnect takes over", () => {
    expect(raceForecast(PINGRESP_LOST, nanomq, opts("paho-python"))).toMatchObject({
      first: "client",
      oldConnectionEnds: "takeover",
    });
  });

  it("network-stall, Paho C at KA 2: the stall holds the DISCONNECT, its reconnect takes over", () => {
    expect(raceForecast(NETWORK_STALL, nanomq, opts("paho-c"))).toMatchObject({
      first: "client",
      oldConnectionEnds: "takeover",
    });
  });

  it("the lines: NanoMQ none (a clean DISCONNECT), mosquitto its `disconnected`; no kick, no takeover", () => {
    const f = raceForecast(PINGRESP_LOST, nanomq, opts("paho-c"));
    expect(raceExpectation(nanomq, f)).toEqual({ seen: [], absent: ["keepalive-timeout", "takeover"] });
    expect(raceExpectation(mosquitto, f)).toEqual({
      seen: [{ id: "client-disconnect" }],
      absent: ["keepalive-timeout", "takeover"],
    });
  });

  it("the old-connection check passes on a DISCONNECT only where one is predicted", () => {
    const predicted = raceForecast(PINGRESP_LOST, nanomq, opts("paho-c"));
    const seen = (end: "disconnect" | "takeover") => ({
      clientGaveUpAt: predicted.clientGivesUpAt,
      brokerKickedAt: null,
      reconnectedAt: [],
      takeoverAt: null,
      first: "client" as const,
      oldConnectionEndedBy: end,
    });
    const ended = (end: "disconnect" | "takeover", p = predicted) =>
      raceChecks("c", p, seen(end), 1).find(
        (c) => "race" in c.args && c.args.race === "old-connection-ended-by",
      )?.ok;
    expect(ended("disconnect")).toBe(true);
    expect(ended("takeover")).toBe(false);
    expect(ended("disconnect", raceForecast(PINGRESP_LOST, nanomq, opts("paho-python")))).toBe(false);
  });
});
