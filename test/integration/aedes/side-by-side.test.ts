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
 * Tolerance of a kick time: −20 ms (the client stamps its CONNECT a moment before aedes reads it, never after) to
 * +300 ms (aedes' timer fires late under load: measured +1 to +55 ms on a loaded 2-core host; a stalled event loop
 * of this test or of aedes adds more, never less).
 */
const EARLY_MS = 20;
const LATE_MS = 300;
const model = SOURCE_MODEL_DEFAULTS.aedes;
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

  it("kicks a silent client 1.5·KA after CONNECT and a pinging one 1.5·KA after its PINGREQ, with a bare FIN; never one that pings every KA", async () => {
    const alive = (async () => {
      const client = track(await rawConnectMqtt(aedes.port, { clientId: "aedes-alive", keepalive: 1 }));
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
    const pinged = [600, 1200].map((pingAtMs) => ({ k: 1, run: 0, pingAtMs }));
    const outcomes = await Promise.all(
      [...silent, ...pinged].map(async ({ k, run, pingAtMs }) => {
        const id = `aedes-ka-k${k}-r${run}-p${pingAtMs ?? "none"}`;
        const client = track(await rawConnectMqtt(aedes.port, { clientId: id, keepalive: k }));
        const connectedAt = performance.now();
        let after = client.received().length;
        if (pingAtMs !== null) {
          await sleep(pingAtMs - (performance.now() - connectedAt));
          client.send(Buffer.from("c000", "hex"));
          await client.waitForPackets(2);
          after = client.received().length;
        }
        const end = await client.waitForEnd(3 * k * 1000 + 2000);
        const window = sourceKickWindow(model, {
          keepaliveMs: k * 1000,
          inboundAt: pingAtMs === null ? [] : [pingAtMs],
        });
        const expectedAfterLastSend = (window?.earliestMs ?? Number.NaN) - (pingAtMs ?? 0);
        return {
          id,
          k,
          end,
          expectedAfterLastSend,
          bytesAfter: client.received().subarray(after).toString("hex"),
        };
      }),
    );
    expect(await alive).toBe("open");
    for (const o of outcomes) {
      expect(o.end.kind, o.id).toBe("fin");
      expect(o.bytesAfter, o.id).toBe(""); // 3.1.1: no DISCONNECT, nothing at all before the FIN
      expect(o.end.afterLastSendMs, o.id).toBeGreaterThan(o.expectedAfterLastSend - EARLY_MS);
      expect(o.end.afterLastSendMs, o.id).toBeLessThan(o.expectedAfterLastSend + LATE_MS);
    }
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
  }, 40_000);
});
