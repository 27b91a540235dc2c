import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  SOURCE_MODEL_DEFAULTS,
  sourceDelayAfterConnect,
  sourceKickWindow,
} from "../../../src/keepalive/predict-source.js";
import { classifyText } from "../../../src/logs/classify.js";
import { runProbe } from "../../../src/probe/runner.js";
import { findingOf } from "../../helpers/probe-finding.js";
import { type Rabbitmq, rabbitmqAvailable, useRabbitmq } from "../../helpers/rabbitmq.js";
import { connectBytes, type RawClient, rawConnect, rawConnectMqtt } from "../../helpers/raw-client.js";
import { probeOptions } from "../probe/probe-options.js";

/**
 * The real RabbitMQ 3.10 MQTT plugin side by side with mqdiag's RabbitMQ keepalive model
 * (src/keepalive/predict-rabbitmq.ts, measured: docs/brokers.md), and what it writes in its log. Real time.
 *
 * Tolerance of a kick time after CONNECT: −20 ms (the client stamps the TCP connection just before its CONNECT
 * goes out, never after) to +500 ms (measured +5 to +17 ms per 3 wakes on a loaded 2-core host: each wake re-arms
 * after its check, so lateness adds up; a stalled Erlang scheduler or test event loop adds more, never less).
 * PINGREQs are planned at least 200 ms away from any wake; the model is asked about the moment they really left.
 */
const EARLY_MS = 20;
const LATE_MS = 500;
const model = SOURCE_MODEL_DEFAULTS.rabbitmq;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** RabbitMQ names a connection `"<client ip:port> -> <broker ip:port>"` in its log. */
/** Client ids of this run: a shared RabbitMQ's log holds earlier runs' lines too. */
const RUN = Math.random().toString(16).slice(2, 8);
const kickAtPlanned = (sendAtMs: number | null) =>
  sourceKickWindow(model, { keepaliveMs: 1000, inboundAt: sendAtMs === null ? [] : [sendAtMs] })?.earliestMs;
const connName = (client: RawClient, port: number) => `127.0.0.1:${client.localPort} -> 127.0.0.1:${port}`;

describe.runIf(rabbitmqAvailable())("the RabbitMQ keepalive model against the real RabbitMQ 3.10", () => {
  let rabbit: Rabbitmq;
  const clients = new Set<RawClient>();
  const track = (c: RawClient) => {
    clients.add(c);
    return c;
  };
  const waitForLog = async (text: string, timeoutMs = 3000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = rabbit
        .log()
        .split("\n")
        .find((l) => l.includes(text));
      if (line !== undefined || Date.now() > deadline) return line;
      await sleep(50);
    }
  };
  beforeAll(async () => {
    rabbit = await useRabbitmq();
  }, 120_000);
  afterAll(async () => {
    await rabbit?.stop();
  });
  afterEach(() => {
    for (const c of clients) c.destroy();
    clients.clear();
  });

  it("kicks silent clients 3·KA after CONNECT, pinged ones where the model says, any bytes count; FIN only", async () => {
    const cases = [
      ...[1, 2, 3].flatMap((k) => [0, 1].map(() => ({ k, sendAtMs: null as number | null, bytes: "" }))),
      // read by the wakes at 1 s, 2 s, 2 s: kicked at 3, 4, 4 s
      { k: 1, sendAtMs: 600, bytes: "c000" },
      { k: 1, sendAtMs: 1200, bytes: "c000" },
      { k: 1, sendAtMs: 1800, bytes: "c000" },
      // half a PINGREQ: no packet, but bytes in recv_oct all the same
      { k: 1, sendAtMs: 1200, bytes: "c0" },
    ];
    const alive = (async () => {
      const client = track(await rawConnectMqtt(rabbit.port, { clientId: `rmq-${RUN}-alive`, keepalive: 1 }));
      for (let i = 1; i <= 5; i++) {
        await sleep(1000);
        client.send(Buffer.from("c000", "hex"));
        await client.waitForPackets(1 + i);
      }
      return client.ended().kind;
    })();
    // RabbitMQ's own CONNECT timeout (`login timeout`), measured at 10 s: a connection that sends nothing
    const noConnect = (async () => {
      // from before the TCP connect: RabbitMQ's timer starts at its accept, which is after this and may come
      // well before the client's event loop sees the connection up on a loaded host (once 235 ms before)
      const startedAt = performance.now();
      const client = track(await rawConnect(rabbit.port));
      const end = await client.waitForEnd(13_000);
      const closedAfterMs = client.connectedAt + (end.afterConnectMs ?? Number.NaN) - startedAt;
      return { end, closedAfterMs, name: connName(client, rabbit.port) };
    })();
    const kicked = await Promise.all(
      cases.map(async ({ k, sendAtMs, bytes }, i) => {
        const id = `rmq-${RUN}-ka-${i}-k${k}-at${sendAtMs ?? "none"}-${bytes || "silent"}`;
        const client = track(await rawConnectMqtt(rabbit.port, { clientId: id, keepalive: k }));
        const connackBytes = client.received().length;
        // When the bytes really left, after CONNECT: a loaded host can fire the timer late (once by 0.8 s), so the
        // model is asked about the actual moment, ±100 ms for where RabbitMQ's wakes sit on the client's clock.
        let sentAt: number | null = null;
        if (sendAtMs !== null) {
          await sleep(sendAtMs - (performance.now() - client.connectedAt));
          client.send(Buffer.from(bytes, "hex"));
          sentAt = performance.now() - client.connectedAt;
        }
        const end = await client.waitForEnd(4 * k * 1000 + 2000);
        const kickAt = (t: number | null) =>
          sourceKickWindow(model, { keepaliveMs: k * 1000, inboundAt: t === null ? [] : [t] })?.earliestMs ??
          Number.NaN;
        const expected = [
          ...new Set(sentAt === null ? [kickAt(null)] : [kickAt(sentAt - 100), kickAt(sentAt + 100)]),
        ];
        const after = client.received().subarray(connackBytes).toString("hex");
        return { id, k, end, sendAtMs, expected, after, name: connName(client, rabbit.port) };
      }),
    );
    for (const o of kicked) {
      expect(o.end.kind, o.id).toBe("fin");
      // a PINGRESP for a whole PINGREQ, nothing else (3.1.1: no DISCONNECT)
      expect(["", "d000"], o.id).toContain(o.after);
      const at = o.end.afterConnectMs ?? Number.NaN;
      const near = o.expected.find((e) => at > e - EARLY_MS && at < e + LATE_MS);
      expect(near, `${o.id}: kicked at ${at} ms, the model says ${o.expected.join(" or ")}`).toBeDefined();
      // the error line RabbitMQ writes for a keepalive kick names the connection, not the client
      expect(await waitForLog(`closing MQTT connection "${o.name}" (keepalive timeout)`), o.id).toMatch(
        /^\S+ \S+ \[error\] <\d+\.\d+\.\d+> closing MQTT connection "/,
      );
    }
    // as planned (0.6, 1.2, 1.8 s), the model's kicks are 3, 4, 4, 4 s
    expect(cases.slice(6).map((c) => kickAtPlanned(c.sendAtMs))).toEqual([3000, 4000, 4000, 4000]);
    for (const k of [1, 2, 3]) expect(sourceDelayAfterConnect(model, k * 1000)?.minMs).toBe(3 * k * 1000);
    expect(await alive).toBe("open");
    const { end, closedAfterMs, name } = await noConnect;
    expect(end.kind).toBe("fin");
    expect(closedAfterMs).toBeGreaterThan(10_000 - EARLY_MS);
    expect(closedAfterMs).toBeLessThan(10_000 + LATE_MS);
    expect(await waitForLog(`closing MQTT connection "${name}" (login timeout)`)).toBeDefined();
    // `mqdiag logs` reads the real log: every kick a keepalive-timeout of the right client
    const summary = classifyText(rabbit.log());
    expect(summary.files[0]?.dialect).toBe("rabbitmq");
    const named = summary.incidents.get("keepalive-timeout")?.clients ?? new Set();
    for (const o of kicked) expect(named.has(o.id), o.id).toBe(true);
    expect(summary.incidents.get("connect-timeout")?.count).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it("MQTT 5: no CONNACK, a FIN, and an error line (3.10 cannot parse the CONNECT's properties)", async () => {
    const client = track(await rawConnect(rabbit.port));
    client.send(connectBytes({ clientId: `rmq-${RUN}-v5`, protocolVersion: 5, keepalive: 1 }));
    const end = await client.waitForEnd(2000);
    expect(end.kind).toBe("fin");
    expect(client.received().length).toBe(0);
    expect(
      await waitForLog(`MQTT cannot parse a frame on connection '${connName(client, rabbit.port)}'`),
    ).toContain("[error]");
  });

  it("takeover: the old connection gets a bare FIN and a warning names it with the client id", async () => {
    const old = track(await rawConnectMqtt(rabbit.port, { clientId: `rmq-${RUN}-takeover` }));
    const before = old.received().length;
    const fresh = track(await rawConnectMqtt(rabbit.port, { clientId: `rmq-${RUN}-takeover` }));
    const end = await old.waitForEnd(3000);
    expect(end.kind).toBe("fin");
    expect(old.received().subarray(before).toString("hex")).toBe("");
    expect(fresh.ended().kind).toBe("open");
    const line = await waitForLog(
      `MQTT disconnecting client "${connName(old, rabbit.port)}" with duplicate id 'rmq-${RUN}-takeover'`,
    );
    expect(line).toContain("[warning]");
    expect(classifyText(rabbit.log()).incidents.get("takeover")?.clients.has(`rmq-${RUN}-takeover`)).toBe(
      true,
    );
  });

  it("the probe's keepalive fit names the model: exact, multiplier 3", async () => {
    const result = await runProbe(
      probeOptions(`127.0.0.1:${rabbit.port}`, { checks: ["connect", "keepalive"], maxWaitMs: 20_000 }),
    );
    const keepalive = findingOf(result, "keepalive");
    const inferred = keepalive.measured.inferred;
    expect(inferred).toMatchObject({ model: "exact", alsoFits: [] });
    // the multiplier is a least-squares slope over late-by-milliseconds kicks: 3 within the fit's ±0.05 pin
    expect(Math.abs((inferred.multiplier ?? Number.NaN) - 3)).toBeLessThanOrEqual(0.05);
    expect(inferred.multiplierRange?.[0]).toBeLessThanOrEqual(3);
    expect(inferred.multiplierRange?.[1]).toBeGreaterThanOrEqual(3);
    // 3·KA is twice the spec's 1.5·KA: a late kick, a warning
    expect(keepalive.code).toBe("late-kick");
    // two signs name it: MQTT 5 refused (3.1.1 only) and the kicks at 3 × keepalive, which only its model fits
    expect(result.identified).toMatchObject({ broker: "rabbitmq", confidence: "medium", agreeing: 2 });
    expect(result.identified?.evidence.map((e) => [e.signal, e.names])).toEqual([
      ["mqtt-versions", ["rabbitmq", "aedes"]],
      ["keepalive-model", ["rabbitmq"]],
    ]);
    expect(result.target.mqttVersion).toBe("3.1.1");
  }, 60_000);
});
