import { describe, expect, it } from "vitest";
import { hivemqTimeoutMs } from "../../../src/keepalive/predict-hivemq.js";
import { keepaliveFinding } from "../../../src/probe/checks/keepalive.js";
import type { ConnectedMeasured, ConnectFinding, ProbeFinding } from "../../../src/probe/findings.js";
import { identifyBroker } from "../../../src/probe/identify.js";
import type { SilentSample } from "../../../src/probe/keepalive-sessions.js";
import { identifiedFixes, identifiedLine } from "../../../src/report/probe-identified.js";
import { KEEPALIVE_FIXES } from "../../../src/signatures/keepalive-fixes.js";

type ConnackProperties = ConnectedMeasured["properties"];

/** A v5 connect finding with these CONNACK properties (in this order). */
function connect(properties: ConnackProperties): ConnectFinding {
  return {
    id: "connect",
    status: "pass",
    code: "connected",
    specRef: null,
    measured: {
      mqttVersion: "5",
      versions: { "5": { accepted: true, code: 0 }, "3.1.1": { accepted: true, code: 0 } },
      tcpMs: 1,
      handshakeMs: 0,
      connackMs: 1,
      returnCode: 0,
      requestedKeepalive: 60,
      serverKeepAlive: null,
      keepaliveOverridden: false,
      properties,
    },
  };
}

/** Silent sessions at keepalive 1, 2, 4 s (3 each), kicked `kick(k)` s after CONNECT plus a few ms. */
function keepalive(kick: (k: number) => number): ProbeFinding {
  const samples: SilentSample[] = [1, 2, 4].flatMap((k) =>
    [0, 1, 2].map((round) => ({
      clientId: `c${k}-${round}`,
      keepalive: k,
      effectiveKeepalive: k,
      offsetMs: round * 2000,
      round,
      lastPacketAt: round * 2000,
      closeAt: round * 2000 + (kick(k) + 0.01 * (round + 1)) * 1000,
      kickAfter: kick(k) + 0.01 * (round + 1),
      closeKind: "fin" as const,
      reasonCode: null,
      waited: kick(k),
    })),
  );
  return keepaliveFinding(samples, 30_000);
}

describe("identifyBroker", () => {
  it("HiveMQ from its source: int(1.5 × keepalive) s kicks name it, labelled from-source", () => {
    const id = identifyBroker([connect({}), keepalive((k) => (hivemqTimeoutMs(k * 1000) ?? 0) / 1000)]);
    expect(id).toMatchObject({ broker: "hivemq", basis: "from-source", confidence: "low", agreeing: 1 });
    expect(identifiedLine(id)).toContain("from its source");
  });

  it("1.5 × keepalive names nobody: the spec's rule, every compliant broker's", () => {
    const id = identifyBroker([connect({}), keepalive((k) => 1.5 * k)]);
    expect(id).toMatchObject({ broker: null, confidence: "none" });
    expect(id.evidence.find((e) => e.signal === "keepalive-model")).toMatchObject({
      specLike: true,
      names: [],
    });
  });

  it("mosquitto's CONNACK beside a NanoMQ tick: conflicting, no broker", () => {
    // a NanoMQ tick at Q 1 s, M 1.25: 1.5·Q + Q·(⌊k·M/Q⌋ + 1) after CONNECT
    const tick = (k: number) => 1.5 + Math.floor(k * 1.25) + 1;
    const id = identifyBroker([connect({ topicAliasMaximum: 10, receiveMaximum: 20 }), keepalive(tick)]);
    expect(id.evidence.map((e) => [e.signal, e.names])).toEqual([
      ["mqtt-versions", []],
      ["connack-properties", ["mosquitto"]],
      ["keepalive-model", ["nanomq"]],
    ]);
    expect(id).toMatchObject({ broker: null, confidence: "conflicting", candidates: [] });
    expect(identifiedLine(id)).toContain("the signs disagree");
  });

  it("the CONNACK's order counts: mosquitto's properties the other way round match nothing", () => {
    const id = identifyBroker([connect({ receiveMaximum: 20, topicAliasMaximum: 10 })]);
    expect(id.evidence[1]).toMatchObject({ signal: "connack-properties", matched: null, names: [] });
  });

  it("a named broker gets its own keepalive levers as advice, aedes (no levers known) none", () => {
    const v311 = connect({});
    v311.measured = {
      ...v311.measured,
      mqttVersion: "3.1.1",
      versions: { "5": { accepted: false, closed: "fin" }, "3.1.1": { accepted: true, code: 0 } },
    };
    const rabbit = identifyBroker([v311, keepalive((k) => 3 * k)]);
    expect(rabbit).toMatchObject({ broker: "rabbitmq", confidence: "medium" });
    const own = KEEPALIVE_FIXES.filter((f) => f.broker === "rabbitmq").map((f) => f.code);
    expect(own.length).toBeGreaterThan(0);
    expect(identifiedFixes(rabbit).map((f) => f.code)).toEqual(own);
    const aedes = identifyBroker([v311, keepalive((k) => 1.5 * k)]);
    expect(aedes).toMatchObject({ broker: "aedes", confidence: "low" });
    expect(identifiedFixes(aedes)).toEqual([]);
  });
});
