import { describe, expect, it } from "vitest";
import { halfOpenOutcome } from "../../../src/scenarios/half-open.js";
import { latencyOutcome } from "../../../src/scenarios/high-latency.js";
import { budgetOutcome } from "../../../src/scenarios/keepalive-budget.js";
import type { ScenarioResult } from "../../../src/scenarios/types.js";
import { realLibraryAvailable } from "../../helpers/real-clients.js";
import { Q1, runRealReproduced, runReproduced } from "./client-subject-run.js";

/**
 * half-open, high-latency and keepalive-budget with `--client`: the subject is the library — the real one where it
 * runs here (real time, ×1: small keepalives), its model otherwise (scaled clock) — and the checks follow its
 * model. Tolerances are the scenarios' own (± the scale's tolerance).
 */
const subjects = (s: ScenarioResult) => s.clients.filter((c) => !c.control);

const mqttC = await realLibraryAvailable("mqtt-c");

describe("half-open --client", () => {
  it("Paho Java's model at KA 4: it gives up by its own rule (FIN lost on the dead link), NanoMQ's keepalive ends the connection", async () => {
    const s = await runReproduced("half-open", { library: "paho-java", keepaliveS: 4 });
    expect(s.eventTime).toBeDefined();
    const h = halfOpenOutcome.of(s);
    expect(h?.library).toMatchObject({ id: "paho-java", real: false });
    // silent from 6 s (+ CONNACK); its PINGREQ at ~8 s unanswered: it gives up KA later, ~12 s (± 1 s)
    expect((h?.clientTimeoutAt ?? 0) - (subjects(s)[0]?.connectedAt ?? 0)).toBeGreaterThan(11_000);
    expect((h?.clientTimeoutAt ?? 0) - (subjects(s)[0]?.connectedAt ?? 0)).toBeLessThan(13_000);
    expect(h?.brokerClosedAt).not.toBeNull();
  });

  it.runIf(mqttC)(
    "the real MQTT-C at KA 2, Q 1 s, M 1.25: it never gives up; NanoMQ kicks 4.5 s after its CONNECT",
    async () => {
      const s = await runRealReproduced("half-open", { library: "mqtt-c", keepaliveS: 2, profile: Q1 });
      const h = halfOpenOutcome.of(s);
      expect(h?.library).toMatchObject({ id: "mqtt-c", version: "1.1.6", real: true });
      expect(h?.clientTimeoutAt).toBeNull();
      expect(s.signatures.map((g) => g.id)).toEqual(["keepalive-timeout", "recv-error", "parse-error"]);
    },
    30_000,
  );
});

describe("high-latency --client", () => {
  it("ESP-MQTT's model at KA 4: past a round trip of KA/2 it gives up first by its rule (MQTT.js's limit is the same)", async () => {
    const s = await runReproduced("high-latency", { library: "esp-mqtt", keepaliveS: 4 });
    const b = latencyOutcome.of(s);
    expect(b?.library).toMatchObject({ id: "esp-mqtt", real: false });
    expect(b?.live.map((c) => [c.expected, c.seen])).toEqual([
      ["survives", "survives"],
      ["client-gives-up", "client-gives-up"],
    ]);
    expect(s.signatures.map((g) => g.id)).not.toContain("keepalive-timeout");
  });

  it("Paho Java's model at KA 4: it waits KA for its PINGRESP, so the latency that ends MQTT.js (1.52 s) does not end it", async () => {
    const s = await runReproduced("high-latency", { library: "paho-java", keepaliveS: 4 });
    expect(latencyOutcome.of(s)?.live.map((c) => c.seen)).toEqual(["survives", "survives"]);
  });

  it.runIf(mqttC)(
    "the real MQTT-C at KA 2, NanoMQ's shipped Q 10 s: it never gives up, and a PINGREQ every ~3 s reaches the broker within each tick: both survive",
    async () => {
      const s = await runRealReproduced("high-latency", { library: "mqtt-c", keepaliveS: 2 });
      const b = latencyOutcome.of(s);
      expect(b?.library).toMatchObject({ id: "mqtt-c", real: true });
      expect(b?.live.map((c) => [c.expected, c.seen])).toEqual([
        ["survives", "survives"],
        ["survives", "survives"],
      ]);
    },
    40_000,
  );
});

describe("keepalive-budget --client", () => {
  it("PubSubClient's model at KA 3, loop every 1.5 s: it pings every 4.5 s, past the 4 s budget: NanoMQ (Q 1 s) kicks it", async () => {
    const s = await runReproduced("keepalive-budget", {
      library: "pubsubclient",
      keepaliveS: 3,
      profile: Q1,
      loopIntervalMs: 1500,
    });
    const b = budgetOutcome.of(s);
    expect(b?.largestSafeMs).toBe(4000);
    expect(b?.library).toMatchObject({
      id: "pubsubclient",
      real: false,
      expectedFirst: "broker",
      seenFirst: "broker",
    });
    expect(b?.library?.pingGapMs).toEqual({ minMs: 4500, maxMs: 4500 });
  });

  it.runIf(mqttC)(
    "the real MQTT-C at KA 3, loop every 1.5 s, Q 1 s, M 1.25: its first PINGREQ (6 s) comes after NanoMQ's kick at 5.5 s",
    async () => {
      const s = await runRealReproduced("keepalive-budget", {
        library: "mqtt-c",
        keepaliveS: 3,
        profile: Q1,
        loopIntervalMs: 1500,
      });
      const b = budgetOutcome.of(s);
      expect(b?.library).toMatchObject({
        id: "mqtt-c",
        real: true,
        expectedFirst: "broker",
        seenFirst: "broker",
      });
      // NanoMQ's ticks: 1.5 s + 4 × 1 s after CONNECT (± 0.6 s on a loaded machine)
      expect(b?.library?.kickedAtMs).toBeGreaterThan(4900);
      expect(b?.library?.kickedAtMs).toBeLessThan(6100);
    },
    40_000,
  );
});
