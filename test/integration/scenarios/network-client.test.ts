import { describe, expect, it } from "vitest";
import type { KeepaliveRace } from "../../../src/scenarios/network-outcome.js";
import { raceOutcome } from "../../../src/scenarios/network-race-run.js";
import type { ScenarioResult } from "../../../src/scenarios/types.js";
import { realLibraryAvailable } from "../../helpers/real-clients.js";
import { Q1, runRealReproduced, runReproduced } from "./client-subject-run.js";

/**
 * network-stall and pingresp-lost with `--client`: the race follows the library's own model. A model-only library
 * runs on the scaled clock (auto); a real one on real time (×1), so those runs keep to small keepalives. Timings
 * are the scenario's own checks (the give-up against the library's model, the kick against NanoMQ's, ± the
 * scale's tolerance, and for a real library its measured slack).
 */
const race = (s: ScenarioResult): KeepaliveRace => raceOutcome.of(s) as KeepaliveRace;
const subject = (s: ScenarioResult) => s.clients.find((c) => !c.control);
const ids = (s: ScenarioResult) =>
  s.signatures.filter((g) => !g.clientId?.endsWith("control")).map((g) => g.id);

describe("the race with a library's model (scaled clock)", () => {
  it("network-stall, Paho Java's model at KA 4: it gives up 2 × KA after its unanswered PINGREQ, before NanoMQ's kick; its reconnect takes over", async () => {
    const s = await runReproduced("network-stall", { library: "paho-java", keepaliveS: 4 });
    expect(s.eventTime).toBeDefined();
    expect(subject(s)?.library).toEqual({ id: "paho-java", version: "1.2.x", real: false });
    const r = race(s);
    expect(r.library).toMatchObject({ id: "paho-java", real: false });
    expect(r.forecast).toMatchObject({ first: "client", oldConnectionEnds: "takeover" });
    // CONNACK + 4 s: PINGREQ (answered); the stall at 6 s; PINGREQ at 8 s unanswered; gives up KA later, 12 s
    expect(r.forecast.clientGivesUpAt).toBe(12_000);
    expect(r.seen).toMatchObject({ first: "client", oldConnectionEndedBy: "takeover", brokerKickedAt: null });
    expect(ids(s)).toEqual(["takeover", "recv-error", "parse-error"]);
  });

  it("pingresp-lost, ESP-MQTT's model at KA 4: it gives up KA/2 after its first PINGREQ; the broker saw it alive", async () => {
    const s = await runReproduced("pingresp-lost", { library: "esp-mqtt", keepaliveS: 4 });
    const r = race(s);
    expect(r.forecast).toMatchObject({
      first: "client",
      oldConnectionEnds: "takeover",
      clientGivesUpAt: 4000,
    });
    expect(r.seen).toMatchObject({ first: "client", oldConnectionEndedBy: "takeover", brokerKickedAt: null });
    expect(subject(s)?.clientTimeoutAt).not.toBeNull();
  });
});

const mqttC = await realLibraryAvailable("mqtt-c");
const pahoC = await realLibraryAvailable("paho-c");

describe("the race with a real library (real time)", () => {
  it.runIf(mqttC)(
    "network-stall, the real MQTT-C at KA 2, Q 1 s, M 1.25: it never gives up, NanoMQ kicks it",
    async () => {
      const s = await runRealReproduced("network-stall", { library: "mqtt-c", keepaliveS: 2, profile: Q1 });
      expect(subject(s)?.library).toMatchObject({ id: "mqtt-c", version: "1.1.6", real: true });
      const r = race(s);
      expect(r.forecast).toMatchObject({
        first: "broker",
        clientGivesUpAt: null,
        oldConnectionEnds: "keepalive",
      });
      expect(r.seen).toMatchObject({
        first: "broker",
        clientGaveUpAt: null,
        oldConnectionEndedBy: "keepalive",
      });
      // the last packet before the stall at 3 s is its CONNECT or its first PINGREQ (KA + 1 s after it, on whole
      // seconds: before or after 3 s by the phase): 3 ticks of 1 s later, 4.5 s or ~6.5 s after the start (± 0.6 s)
      expect(r.seen.brokerKickedAt).toBeGreaterThan(3900);
      expect(r.seen.brokerKickedAt).toBeLessThan(7600);
      expect(ids(s)).toEqual(["keepalive-timeout", "recv-error", "parse-error"]);
    },
    30_000,
  );

  it.runIf(mqttC)(
    "pingresp-lost, the real MQTT-C at KA 3, NanoMQ's shipped Q 10 s: it never gives up and keeps pinging every ~4 s, each tick sees one: nobody acts",
    async () => {
      const s = await runRealReproduced("pingresp-lost", { library: "mqtt-c", keepaliveS: 3 });
      const r = race(s);
      expect(r.forecast).toMatchObject({ first: "none", clientGivesUpAt: null, oldConnectionEnds: "open" });
      expect(r.seen).toMatchObject({
        first: null,
        clientGaveUpAt: null,
        brokerKickedAt: null,
        oldConnectionEndedBy: "open",
      });
      // no kick, no takeover (stopping the client at the end may leave its close lines)
      expect(ids(s)).not.toContain("keepalive-timeout");
      expect(ids(s)).not.toContain("takeover");
    },
    40_000,
  );

  it.runIf(pahoC)(
    "pingresp-lost, the real Paho C at KA 2, NanoMQ's shipped Q 10 s: it gives up first and sends DISCONNECT, which ends the old connection",
    async () => {
      const s = await runRealReproduced("pingresp-lost", { library: "paho-c", keepaliveS: 2 });
      expect(subject(s)?.library).toMatchObject({ id: "paho-c", version: "1.3.12", real: true });
      const r = race(s);
      expect(r.forecast).toMatchObject({ first: "client", oldConnectionEnds: "disconnect" });
      // its give-up (checked against its model by the scenario; measured ~5.5 s after its CONNECT) is long before
      // the kick at ~25 s; its DISCONNECT (the link drops only PINGRESPs) ends the old connection, not its reconnect
      expect(r.seen).toMatchObject({
        first: "client",
        brokerKickedAt: null,
        takeoverAt: null,
        oldConnectionEndedBy: "disconnect",
      });
      expect(r.timeline.map((e) => e.what)).toContain("disconnect");
      expect(ids(s)).not.toContain("keepalive-timeout");
      expect(ids(s)).not.toContain("takeover");
    },
    30_000,
  );
});
