import mqttPacket from "mqtt-packet";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  SOURCE_MODEL_DEFAULTS,
  sourceDelayAfterConnect,
  sourceKickWindow,
} from "../../../src/keepalive/predict-source.js";
import { runProbe } from "../../../src/probe/runner.js";
import { type Aedes, startAedes } from "../../helpers/aedes.js";
import { findingOf } from "../../helpers/probe-finding.js";
import { connectBytes, type RawClient, rawConnect, rawConnectMqtt } from "../../helpers/raw-client.js";
import { probeOptions } from "../probe/probe-options.js";

/**
 * The real aedes (npm, in a process of its own) side by side with mqdiag's aedes keepalive model
 * (src/keepalive/predict-aedes.ts, measured: docs/brokers.md). Real time throughout.
 *
 * Tolerance of a kick time after the TCP connect: −20 ms (the client stamps the connection up before its CONNECT
 * goes out, never after) to +300 ms (aedes' timer fires late under load: measured +1 to +55 ms on a loaded 2-core
 * host; a stalled event loop of this test or of aedes adds more, never less).
 */
const EARLY_MS = 20;
const LATE_MS = 300;
const model = SOURCE_MODEL_DEFAULTS.aedes;
const kickAtPlanned = (pingAtMs: number | null) =>
  sourceKickWindow(model, { keepaliveMs: 1000, inboundAt: pingAtMs === null ? [] : [pingAtMs] })?.earliestMs;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the aedes keepalive model against the real aedes", () => {
  let aedes: Aedes;
  const clients = new Set<RawClient>();
  const track = (c: RawClient) => {
    clients.add(c);
    return c;
  };
  beforeAll(async () => {
    aedes = await startAedes();
  });

  it("is the aedes the model was measured on (1.2.0, package.json pins it)", () => {
    expect(aedes.version).toBe("1.2.0");
  });
  afterAll(async () => {
    await aedes?.stop();
  });
  afterEach(() => {
    for (const c of clients) c.destroy();
    clients.clear();
  });

  it("kicks a silent client 1.5·KA after CONNECT and a pinging one 1.5·KA after its PINGREQ, with a bare FIN; never one that pings within its keepalive", async () => {
    // KA 2 (a 3-s window), a PINGREQ every second: 2 s of slack for a stalled test process
    const alive = (async () => {
      const client = track(await rawConnectMqtt(aedes.port, { clientId: "aedes-alive", keepalive: 2 }));
      for (let i = 1; i <= 4; i++) {
        await sleep(1000);
        client.send(Buffer.from("c000", "hex"));
        await client.waitForPackets(1 + i);
      }
      return client.ended().kind;
    })();
    const silent = [1, 2, 3].flatMap((k) =>
      [0, 1].map((run) => ({ k, run, pingAtMs: null as number | null })),
    );
    const pinged = [300, 900].map((pingAtMs) => ({ k: 1, run: 0, pingAtMs }));
    const outcomes = await Promise.all(
      [...silent, ...pinged].map(async ({ k, run, pingAtMs }) => {
        const id = `aedes-ka-k${k}-r${run}-p${pingAtMs ?? "none"}`;
        const client = track(await rawConnectMqtt(aedes.port, { clientId: id, keepalive: k }));
        // The model is asked about the moment the PINGREQ really left (a loaded host fires timers late), ±50 ms
        // for where aedes' timer sits on the client's clock.
        let sentAt: number | null = null;
        if (pingAtMs !== null) {
          await sleep(pingAtMs - (performance.now() - client.connectedAt));
          client.send(Buffer.from("c000", "hex"));
          sentAt = performance.now() - client.connectedAt;
        }
        const end = await client.waitForEnd(3 * k * 1000 + 2000);
        const kickAt = (t: number | null) =>
          sourceKickWindow(model, { keepaliveMs: k * 1000, inboundAt: t === null ? [] : [t] })?.earliestMs ??
          Number.NaN;
        const expected = [
          ...new Set(sentAt === null ? [kickAt(null)] : [kickAt(sentAt - 50), kickAt(sentAt + 50)]),
        ];
        // after the CONNACK: a PINGRESP for a PINGREQ, nothing else (3.1.1: no DISCONNECT before the FIN)
        const replies = client
          .packets()
          .slice(1)
          .map((p) => p.cmd);
        return { id, k, end, expected, replies, pinged: sentAt !== null };
      }),
    );
    expect(await alive).toBe("open");
    for (const o of outcomes) {
      expect(o.end.kind, o.id).toBe("fin");
      expect(o.replies, o.id).toEqual(o.pinged ? ["pingresp"] : []);
      const at = o.end.afterConnectMs ?? Number.NaN;
      const near = o.expected.find((e) => at > e - EARLY_MS && at < e + LATE_MS);
      expect(near, `${o.id}: kicked at ${at} ms, the model says ${o.expected.join(" or ")}`).toBeDefined();
    }
    // as planned, the pinged ones are kicked 1.5·KA + 1 ms after their PINGREQ
    expect(pinged.map((p) => kickAtPlanned(p.pingAtMs))).toEqual([1801, 2401]);
    // the silent ones: exactly what the model says after CONNECT (1.5·KA + 1 ms)
    for (const k of [1, 2, 3]) expect(sourceDelayAfterConnect(model, k * 1000)?.minMs).toBe(k * 1500 + 1);
    // aedes says why, in its events (it writes no log): one keepaliveTimeout per kicked client
    const timeouts = aedes.events().filter((l) => / keepaliveTimeout aedes-ka-/.test(l));
    expect(timeouts).toHaveLength(outcomes.length);
  }, 15_000);

  it("refuses an MQTT 5 CONNECT with a 3.1.1 CONNACK 0x01 (unacceptable protocol version), then FIN", async () => {
    const client = track(await rawConnect(aedes.port));
    client.send(connectBytes({ clientId: "aedes-v5", protocolVersion: 5, keepalive: 1 }));
    const end = await client.waitForEnd(2000);
    expect(client.received().toString("hex")).toBe("20020001");
    expect(end.kind).toBe("fin");
  });

  it("takeover: the old connection gets a bare FIN, the new one stays", async () => {
    const old = track(await rawConnectMqtt(aedes.port, { clientId: "aedes-takeover" }));
    const before = old.received().length;
    const fresh = track(await rawConnectMqtt(aedes.port, { clientId: "aedes-takeover" }));
    const end = await old.waitForEnd(2000);
    expect(end.kind).toBe("fin");
    expect(old.received().subarray(before).toString("hex")).toBe("");
    await sleep(200);
    expect(fresh.ended().kind).toBe("open");
    fresh.send(mqttPacket.generate({ cmd: "pingreq" }));
    await fresh.waitForPackets(2);
  });

  it("the probe's keepalive fit names the model: exact, multiplier 1.5", async () => {
    const result = await runProbe(
      probeOptions(`127.0.0.1:${aedes.port}`, { checks: ["connect", "keepalive"], maxWaitMs: 15_000 }),
    );
    const keepalive = findingOf(result, "keepalive");
    const inferred = keepalive.measured.inferred;
    expect(inferred).toMatchObject({ model: "exact", alsoFits: [] });
    // the multiplier is a least-squares slope over late-by-milliseconds kicks: 1.5 within the fit's ±0.05 pin
    expect(Math.abs((inferred.multiplier ?? Number.NaN) - 1.5)).toBeLessThanOrEqual(0.05);
    expect(inferred.multiplierRange?.[0]).toBeLessThanOrEqual(1.5);
    expect(inferred.multiplierRange?.[1]).toBeGreaterThanOrEqual(1.5);
    expect(keepalive.status).toBe("pass");
    // aedes speaks 3.1.1 only: the probe falls back
    expect(result.target.mqttVersion).toBe("3.1.1");
    // identified by that alone: its 1.5 × keepalive (+1 ms) is the spec's own rule, which names no broker, and
    // rules out RabbitMQ (3 × keepalive), the other 3.1.1-only broker
    expect(result.identified).toMatchObject({
      broker: "aedes",
      basis: "measured",
      confidence: "low",
      agreeing: 1,
    });
    expect(result.identified?.candidates).toEqual(["aedes"]);
    expect(result.identified?.evidence.find((e) => e.signal === "keepalive-model")).toMatchObject({
      specLike: true,
      names: [],
    });
  }, 40_000);
});
