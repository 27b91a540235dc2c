import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Broker, startBroker } from "../../../src/broker/index.js";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import { SCENARIO_CATALOGUE } from "../../../src/scenarios/catalogue.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import type { ScenarioResult } from "../../../src/scenarios/types.js";
import { runCli } from "../../helpers/cli.js";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";
import { type Nanomq, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";
import { rawConnect } from "../../helpers/raw-client.js";
import { startTcpdump, type Tcpdump, tcpdumpAvailable } from "../../helpers/tcpdump.js";
import {
  brokerLegTruth,
  type CapturedConnection,
  type ExpectedConnection,
  expectedConnections,
  findCaptured,
  type Leg,
  originOf,
  type VerdictPair,
} from "./scenario-truth.js";

/**
 * Every scenario of the catalogue that runs against an external broker (`--broker`), run at real time against the
 * real mosquitto 2.0.11 and NanoMQ 0.25.3 — the main ones also against NanoMQ 0.21.9 and the embedded broker —
 * while one tcpdump captures loopback. `mqdiag capture` on that file, with each broker's model, must give every
 * connection of every scenario client the verdict the scenario's own report says happened (scenario-truth.ts).
 *
 * Time: one broker start and one capture for all; each broker's scenarios run back to back in lanes, the brokers
 * at once, keepalive 1 s (~40 s of scenarios, ~50 s in all on 2 loaded cores).
 */

/**
 * Scenarios whose subject dials through the scenario's link: their verdict is read on the client's own leg (what
 * it sent, what reached it, when it gave up), and their broker's leg is checked for what reached the broker.
 */
const LINKED = new Set(["network-stall", "pingresp-lost", "half-open", "high-latency"]);

/**
 * mosquitto 2.0.11 closes a connection that never sends CONNECT only after 1.5 × 60 s (it gives it keepalive 60
 * s): 94.8 s measured, past this file's budget. The same scenario's capture (kicked, undecidable: no CONNECT)
 * is checked on NanoMQ, which gives up after 15 s.
 */
const TOO_SLOW_ON_MOSQUITTO = new Set(["no-connect"]);

/** The main scenarios, for NanoMQ 0.21.9 and the embedded broker. */
const MAIN = [
  "late-ping",
  "tcp-rst",
  "malformed-packet",
  "session-takeover",
  "fin-close",
  "subscriber-only",
  "pingresp-lost",
  "network-stall",
  "half-open",
];

const NANOMQ_Q1: ProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, retryIntervalMs: 1000 };

interface BrokerUnderTest {
  name: string;
  profile: ProfileOptions;
  /** `mqdiag capture`'s model options for this broker. */
  model: string[];
  /**
   * Its scenarios in lanes: each lane runs back to back, the lanes at once (distinct client ids). Split so the
   * lanes take about as long (durations at keepalive 1 s, measured).
   */
  lanes: string[][];
  start(): Promise<{ url: string; port: number; logPath?: string; stop(): Promise<void> }>;
}

const BROKERS: BrokerUnderTest[] = [
  {
    name: "mosquitto 2.0.11",
    profile: { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" },
    model: ["--profile", "mosquitto"],
    lanes: [
      ["late-ping", "half-open", "high-latency", "keepalive-budget"],
      [
        "session-resume",
        "reconnect-storm",
        "subscriber-only",
        "client-library",
        "network-stall",
        "pingresp-lost",
      ],
      ["tcp-rst", "fin-close", "malformed-packet", "session-takeover"],
    ],
    start: async () => {
      const m: Mosquitto = await startMosquitto();
      return { url: m.url, port: m.port, logPath: m.logPath, stop: () => m.stop() };
    },
  },
  {
    name: "NanoMQ 0.25.3",
    profile: NANOMQ_Q1,
    model: ["--retry-interval", "1s"],
    lanes: [
      ["no-connect", "session-resume", "reconnect-storm"],
      ["late-ping", "tcp-rst", "malformed-packet", "subscriber-only", "session-takeover", "fin-close"],
      ["keepalive-budget", "network-stall", "pingresp-lost", "half-open", "high-latency", "client-library"],
    ],
    start: async () => {
      const n: Nanomq = await startNanomq("0.25.3", { retryIntervalS: 1, level: "info" });
      return { url: n.url, port: n.port, logPath: n.logPath, stop: () => n.stop() };
    },
  },
  {
    name: "NanoMQ 0.21.9",
    profile: { ...NANOMQ_Q1, nanomqVersion: [0, 21, 9] },
    model: ["--retry-interval", "1s", "--nanomq-version", "0.21.9"],
    lanes: [MAIN],
    start: async () => {
      const n: Nanomq = await startNanomq("0.21.9", { retryIntervalS: 1 });
      return { url: n.url, port: n.port, logPath: n.logPath, stop: () => n.stop() };
    },
  },
  {
    name: "the embedded broker",
    profile: NANOMQ_Q1,
    model: ["--retry-interval", "1s"],
    lanes: [MAIN],
    start: async () => {
      const b: Broker = await startBroker({ port: 0, ...NANOMQ_Q1, keepaliveMultiplier: 1.25 });
      return { url: b.url, port: b.port, stop: () => b.close() };
    },
  },
];

const runs =
  tcpdumpAvailable() && mosquittoAvailable() && nanomqAvailable("0.25.3") && nanomqAvailable("0.21.9");

interface Observed {
  broker: string;
  scenario: string;
  clientId: string;
  role: string;
  leg: Leg;
  /** The verdicts the scenario's report allows (more than one only for a race the report calls a coin toss). */
  truth: VerdictPair[] | undefined;
  captured: (VerdictPair & { vantage: string }) | "not found";
}

describe.runIf(runs)(
  "mqdiag capture on every scenario, captured on loopback against the real brokers",
  () => {
    let dir: string;
    let capture: Tcpdump | undefined;
    const started: { stop(): Promise<void> }[] = [];
    const results = new Map<string, ScenarioResult[]>();
    const observed: Observed[] = [];

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "mqdiag-scenario-captures-"));
      const brokers = await Promise.all(BROKERS.map((b) => b.start()));
      started.push(...brokers);
      const file = join(dir, "lo.pcap");
      // All of loopback: a linked client's own leg is on its relay's port, known only once the scenario runs.
      // Other tests' traffic lands here too; connections are picked by broker port, client id and time.
      const poke = async () => (await rawConnect(brokers[0]?.port ?? 0)).destroy();
      capture = await startTcpdump("lo", file, "tcp", { poke });
      await Promise.all(
        BROKERS.flatMap((b, i) =>
          b.lanes.map(async (lane) => {
            const target = brokers[i];
            if (!target) return;
            for (const name of lane) {
              const run = await runScenarios({
                names: [name],
                profile: b.profile,
                options: { keepaliveS: 1, clients: 1 },
                timeScale: 1,
                broker: { url: target.url, ...(target.logPath ? { logPath: target.logPath } : {}) },
              });
              results.set(b.name, [...(results.get(b.name) ?? []), ...run.scenarios]);
            }
          }),
        ),
      );
      await new Promise((r) => setTimeout(r, 300));
      await capture.stop();
      await Promise.all(
        BROKERS.map(async (b, i) => {
          const port = brokers[i]?.port ?? 0;
          const r = await runCli(["capture", file, "--port", String(port), ...b.model, "--format", "json"], {
            timeoutMs: 60_000,
          });
          const connections = (JSON.parse(r.stdout) as { connections: CapturedConnection[] }).connections;
          for (const s of results.get(b.name) ?? []) observe(b.name, s, connections, port);
        }),
      );
    }, 150_000);

    function observe(broker: string, s: ScenarioResult, captured: CapturedConnection[], port: number): void {
      const origin = originOf(captured, s, port);
      const note = (e: ExpectedConnection, leg: Leg, truth: VerdictPair[] | undefined, role: string) => {
        const idOnWire = e.role === "no-connect" ? null : e.clientId;
        const c = origin === undefined ? undefined : findCaptured(captured, e, leg, port, origin, idOnWire);
        observed.push({
          broker,
          scenario: s.name,
          clientId: e.clientId,
          role,
          leg,
          truth,
          captured: c ? { ending: c.ending, cause: c.cause, vantage: c.vantage.point } : "not found",
        });
      };
      for (const e of expectedConnections(s)) {
        const role = e.reconnection ? `${e.role} (reconnected)` : e.role;
        const linked = LINKED.has(s.name) && !e.control;
        note(e, linked ? "client" : "broker", e.truth && [e.truth], role);
        // the broker's leg: matched by its start only (its close is not the client's)
        const brokerLeg = linked && !e.reconnection ? brokerLegTruth(s) : undefined;
        if (brokerLeg) note({ ...e, closedAt: null }, "broker", brokerLeg, `${role} (broker leg)`);
      }
    }

    afterAll(async () => {
      await capture?.stop();
      await Promise.all(started.map((b) => b.stop()));
      await rm(dir, { recursive: true, force: true });
    });

    it("ran every external scenario on mosquitto and NanoMQ 0.25.3, the main ones on 0.21.9 and embedded", async () => {
      // the catalogue's scenarios that run against an external broker (corrupt-retain's fault needs the embedded one)
      const external: string[] = [];
      for (const entry of SCENARIO_CATALOGUE) {
        const definition = await entry.load();
        if (!definition.skipReason?.(NANOMQ_Q1, { keepaliveS: 1, clients: 1 }, true))
          external.push(entry.name);
      }
      const ran = (b: string) => (results.get(b) ?? []).map((s) => s.name).sort();
      expect(ran("mosquitto 2.0.11")).toEqual(external.filter((n) => !TOO_SLOW_ON_MOSQUITTO.has(n)).sort());
      expect(ran("NanoMQ 0.25.3")).toEqual([...external].sort());
      expect(ran("NanoMQ 0.21.9")).toEqual([...MAIN].sort());
      expect(ran("the embedded broker")).toEqual([...MAIN].sort());
      for (const s of [...results.values()].flat()) expect(s.verdict, s.name).not.toBe("skipped");
    });

    const c = (o: Observed) => o.captured as VerdictPair;

    it("every connection's verdict is what the scenario's report says happened", () => {
      const wrong = observed.filter(
        (o) =>
          o.truth !== undefined &&
          (o.captured === "not found" ||
            !o.truth.some((t) => t.ending === c(o).ending && t.cause === c(o).cause)),
      );
      expect(wrong).toEqual([]);
      // every connection the reports name was found and judged
      expect(observed.filter((o) => o.truth === undefined)).toEqual([]);
    });

    it("loopback: every connection same-host, whichever leg", () => {
      const points = new Set(
        observed.map((o) => (o.captured === "not found" ? "not found" : o.captured.vantage)),
      );
      expect([...points]).toEqual(["same-host"]);
    });
  },
);
