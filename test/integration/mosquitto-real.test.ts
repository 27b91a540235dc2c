import mqttPacket from "mqtt-packet";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { VIOLATION_KINDS } from "../../src/broker/index.js";
import {
  MOSQUITTO_KEEPALIVE,
  MOSQUITTO_LIFECYCLE,
  MOSQUITTO_MALFORMED,
  MOSQUITTO_UNKNOWN_ID,
  mosquittoReaction,
  type SignatureRef,
} from "../../src/broker/profiles/mosquitto-measured.js";
import { MALFORMED_NAMES, MALFORMED_VARIANTS } from "../../src/fleet/malformed.js";
import { mosquittoLimitSeconds } from "../../src/keepalive/mosquitto-arithmetic.js";
import { mosquittoKickAt } from "../../src/keepalive/predict-mosquitto.js";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../helpers/mosquitto.js";
import { mosquittoLinePattern, recogniseMosquittoLines, signatureTrail } from "../helpers/mosquitto-lines.js";
import { type RawClient, rawConnect, rawConnectMqtt } from "../helpers/raw-client.js";
import { v5VariantBytes } from "../helpers/v5-variant-bytes.js";

/**
 * The proof that src/broker/profiles/mosquitto-measured.ts is true: every row and lifecycle fact, checked against
 * the real mosquitto 2.0.11. If the real broker disagrees, this fails.
 */
const ref = (r: SignatureRef) => `${r.id}/${r.key}`;
/** CLOCK_MONOTONIC seconds, the clock mosquitto's sweep and last_msg_in use (Node's hrtime reads it too). */
const monoS = () => Number(process.hrtime.bigint()) / 1e9;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(mosquittoAvailable())("the real mosquitto agrees with mosquitto-measured.ts", () => {
  let broker: Mosquitto;
  /** Whole monotonic seconds in which mosquitto may have started (its first keepalive sweep ran then). */
  let startSeconds: number[];
  const clients = new Set<RawClient>();
  const track = (c: RawClient) => {
    clients.add(c);
    return c;
  };
  beforeAll(async () => {
    const before = Math.floor(monoS());
    broker = await startMosquitto();
    const after = Math.floor(monoS());
    startSeconds = Array.from({ length: after - before + 1 }, (_, i) => before + i);
  });
  afterAll(async () => {
    await broker?.stop();
  });
  afterEach(() => {
    for (const c of clients) c.destroy();
    clients.clear();
  });

  it("has a measured row for every malformed variant, and only rows for known violation kinds", () => {
    for (const name of MALFORMED_NAMES) expect(MOSQUITTO_MALFORMED[name], name).toBeDefined();
    for (const kind of Object.keys(MOSQUITTO_MALFORMED))
      expect(VIOLATION_KINDS as readonly string[]).toContain(kind);
  });

  /** Sends `bytes` after a good CONNECT (or instead of it) and checks mosquitto reacts as `kind`'s row says. */
  async function expectReaction(
    kind: string,
    bytes: Buffer,
    protocolVersion: 4 | 5,
    beforeConnect: boolean,
    id: string,
  ) {
    const expected = mosquittoReaction(kind, protocolVersion);
    if (!expected) throw new Error(`no row for ${kind}`);
    const who = beforeConnect ? MOSQUITTO_UNKNOWN_ID : id;
    const offset = broker.log().length;
    const client = track(
      beforeConnect
        ? await rawConnect(broker.port)
        : await rawConnectMqtt(broker.port, { clientId: id, protocolVersion }),
    );
    const before = client.received().length;
    client.send(bytes);
    const end = await client.waitForEnd(expected.closes ? 2000 : 500);
    expect(client.received().subarray(before).toString("hex")).toBe(expected.reply ?? "");
    if (expected.closes) {
      expect(end.kind).toBe(expected.closeKind);
      expect(end.afterLastSendMs).toBeLessThan(500);
    } else {
      expect(end.kind).toBe("open");
    }
    const lines = [...(expected.preceding ?? []), ...(expected.signature ? [expected.signature] : [])];
    const last = lines.at(-1);
    if (last) await broker.waitForLog(mosquittoLinePattern(last, who), 3000, offset);
    expect(signatureTrail(broker.log().slice(offset), who)).toEqual(lines.map(ref));
  }

  for (const variant of MALFORMED_VARIANTS) {
    for (const protocolVersion of variant.beforeConnect ? [4 as const] : ([4, 5] as const)) {
      it(`${variant.name} on ${protocolVersion === 5 ? "MQTT 5" : "3.1.1"}`, async () => {
        const bytes = protocolVersion === 5 ? v5VariantBytes(variant) : variant.bytes;
        const id = `real-${variant.name}-v${protocolVersion}`;
        await expectReaction(variant.name, bytes, protocolVersion, variant.beforeConnect, id);
      });
    }
  }

  const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
  const moreKinds: [kind: string, label: string, bytes: Buffer, protocolVersion: 4 | 5][] = [
    ["auth-on-v311", "AUTH on 3.1.1", hex("f0 00"), 4],
    ["publish-empty-topic", "zero-length topic, 3.1.1", hex("30 03 0000 78"), 4],
    ["publish-empty-topic", "zero-length topic, MQTT 5", hex("30 04 0000 00 78"), 5],
    ["undecodable", "UNSUBSCRIBE without a topic filter, 3.1.1", hex("a2 02 0001"), 4],
    ["undecodable", "UNSUBSCRIBE without a topic filter, MQTT 5", hex("a2 03 0001 00"), 5],
    ["undecodable", "a 3.1.1 PUBLISH (no property length) on MQTT 5", hex("30 06 0003 612f62 78"), 5],
    ["undecodable", "the 3.1.1 wildcard PUBLISH bytes on MQTT 5", hex("30 06 0003 612f2b 78"), 5],
  ];
  for (const [kind, label, bytes, protocolVersion] of moreKinds) {
    it(`${kind}: ${label}`, async () => {
      await expectReaction(kind, bytes, protocolVersion, false, `real-${kind}-${label.replace(/\W+/g, "-")}`);
    });
  }

  for (const protocolVersion of [4, 5] as const) {
    const v = protocolVersion === 5 ? "MQTT 5" : "3.1.1";

    it(`logs a TCP reset and a FIN without DISCONNECT alike, and publishes the will at once (${v})`, async () => {
      const sub = track(await rawConnectMqtt(broker.port, { clientId: `will-sub-v${protocolVersion}` }));
      sub.send(
        mqttPacket.generate({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "w/#", qos: 0 }] }),
      );
      await sub.waitForPackets(2);
      let wills = 0;
      for (const [how, fact] of [
        ["rst", MOSQUITTO_LIFECYCLE.peerReset],
        ["fin", MOSQUITTO_LIFECYCLE.peerClosed],
      ] as const) {
        const id = `real-${how}-v${protocolVersion}`;
        const offset = broker.log().length;
        const client = track(
          await rawConnectMqtt(broker.port, {
            clientId: id,
            protocolVersion,
            will: { topic: `w/${id}`, payload: Buffer.from(how), qos: 0, retain: false },
          }),
        );
        if (how === "rst") client.reset();
        else await client.end();
        await broker.waitForLog(mosquittoLinePattern(fact.signature, id), 3000, offset);
        expect(signatureTrail(broker.log().slice(offset), id)).toEqual([ref(fact.signature)]);
        wills += 1;
        const packets = await sub.waitForPackets(2 + wills, 4, 1000);
        expect(packets.at(-1)).toMatchObject({ cmd: "publish", topic: `w/${id}` });
      }
      expect(
        MOSQUITTO_LIFECYCLE.peerReset.publishesWill && MOSQUITTO_LIFECYCLE.peerClosed.publishesWill,
      ).toBe(true);
    });

    it(`answers DISCONNECT with its two lines and a FIN, and no will (${v})`, async () => {
      const fact = MOSQUITTO_LIFECYCLE.cleanDisconnect;
      const sub = track(await rawConnectMqtt(broker.port, { clientId: `clean-sub-v${protocolVersion}` }));
      sub.send(
        mqttPacket.generate({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: "c/#", qos: 0 }] }),
      );
      await sub.waitForPackets(2);
      const id = `real-clean-v${protocolVersion}`;
      const offset = broker.log().length;
      const client = track(
        await rawConnectMqtt(broker.port, {
          clientId: id,
          protocolVersion,
          will: { topic: "c/will", payload: Buffer.from("x"), qos: 0, retain: false },
        }),
      );
      client.send(mqttPacket.generate({ cmd: "disconnect" }, { protocolVersion }));
      const end = await client.waitForEnd(2000);
      expect(end.kind).toBe(fact.closeKind);
      const lastLine = fact.lines.at(-1) as SignatureRef;
      await broker.waitForLog(mosquittoLinePattern(lastLine, id), 3000, offset);
      expect(signatureTrail(broker.log().slice(offset), id)).toEqual(fact.lines.map(ref));
      await sleep(300);
      expect(sub.packets().length).toBe(2); // CONNACK, SUBACK: no will
    });

    it(`closes the old connection on takeover with a plain FIN and one line (${v})`, async () => {
      const fact = MOSQUITTO_LIFECYCLE.takeover;
      const id = `real-takeover-v${protocolVersion}`;
      const offset = broker.log().length;
      const old = track(await rawConnectMqtt(broker.port, { clientId: id, protocolVersion }));
      const before = old.received().length;
      const fresh = track(await rawConnectMqtt(broker.port, { clientId: id, protocolVersion }));
      const end = await old.waitForEnd(2000);
      expect(end.kind).toBe(fact.oldCloseKind);
      expect(old.received().subarray(before).toString("hex")).toBe(fact.oldReply ?? "");
      expect(fresh.ended().kind).toBe("open");
      await broker.waitForLog(mosquittoLinePattern(fact.signature, id), 3000, offset);
      await sleep(200);
      const ours = recogniseMosquittoLines(broker.log().slice(offset)).filter((l) => l.clientId === id);
      expect(ours.map((l) => `${l.id}/${l.key}`)).toEqual([
        "client-connected/new-client",
        ref(fact.signature),
        "client-connected/new-client",
      ]);
    });
  }

  it("logs a TCP connection closed before CONNECT as <unknown>", async () => {
    const offset = broker.log().length;
    const client = track(await rawConnect(broker.port));
    await client.end();
    const fact = MOSQUITTO_LIFECYCLE.closedBeforeConnect;
    await broker.waitForLog(mosquittoLinePattern(fact.signature, MOSQUITTO_UNKNOWN_ID), 3000, offset);
    expect(signatureTrail(broker.log().slice(offset), MOSQUITTO_UNKNOWN_ID)).toEqual([ref(fact.signature)]);
  });

  describe("keepalive sweep", () => {
    interface Kick {
      id: string;
      keepaliveS: number;
      lastInS: number;
      kickS: number;
    }
    /** Connects, optionally sends one PINGREQ after pingAfterMs, then stays silent until mosquitto kicks it. */
    async function silentClient(
      id: string,
      keepaliveS: number,
      protocolVersion: 4 | 5,
      pingAfterMs?: number,
    ) {
      const client = track(
        await rawConnectMqtt(broker.port, { clientId: id, keepalive: keepaliveS, protocolVersion }),
      );
      let lastInS = monoS();
      const before = client.received().length;
      if (pingAfterMs !== undefined) {
        await sleep(pingAfterMs);
        client.send(Buffer.from("c000", "hex"));
        lastInS = monoS();
        await client.waitForPackets(2, protocolVersion);
      }
      const end = await client.waitForEnd((mosquittoLimitSeconds(keepaliveS * 1000) + 9) * 1000);
      const kickS = monoS();
      expect(end.kind, id).toBe(MOSQUITTO_KEEPALIVE.kickCloseKind);
      // Nothing before the FIN (after the PINGRESP if it pinged): no DISCONNECT 0x8D on MQTT 5 either.
      const after = pingAfterMs === undefined ? before : before + 2;
      expect(client.received().subarray(after).toString("hex"), id).toBe(MOSQUITTO_KEEPALIVE.kickReply ?? "");
      return { id, keepaliveS, lastInS, kickS } satisfies Kick;
    }

    let kicks: Kick[] = [];
    let firstSweepS: number | undefined;

    it("kicks silent clients at the first 6-s sweep after ⌊1.5k⌋ whole seconds, with one line and a FIN", async () => {
      const offset = broker.log().length;
      const runs: Promise<Kick>[] = [];
      for (const protocolVersion of [4, 5] as const)
        for (const k of [1, 2, 3])
          runs.push(silentClient(`real-ka-v${protocolVersion}-k${k}`, k, protocolVersion));
      runs.push(silentClient("real-ka-pinged-k2", 2, 4, 1300));
      runs.push(silentClient("real-ka-pinged-k3", 3, 5, 700));
      kicks = await Promise.all(runs);

      // The sweep runs at whole seconds, a little after the second begins.
      for (const kick of kicks)
        expect(kick.kickS % 1, kick.id).toBeLessThan(MOSQUITTO_KEEPALIVE.maxSweepLagMs / 1000 + 0.05);
      // Every kick is the one the keepalive model predicts, for a first sweep at broker start.
      const predictedS = (k: Kick, s0: number) =>
        mosquittoKickAt({
          keepaliveMs: k.keepaliveS * 1000,
          connectAt: k.lastInS * 1000,
          sweepPhaseMs: s0 * 1000,
        });
      const consistent = startSeconds.filter((s0) =>
        kicks.every((k) => predictedS(k, s0) === Math.floor(k.kickS) * 1000),
      );
      expect(consistent.length, JSON.stringify({ startSeconds, kicks })).toBeGreaterThan(0);
      firstSweepS = consistent[0];
      // And inside the window (⌊1.5k⌋, ⌊1.5k⌋ + 6] s after the last inbound packet, plus the sweep's lag.
      for (const kick of kicks) {
        const silenceS = kick.kickS - kick.lastInS;
        expect(silenceS, kick.id).toBeGreaterThan(mosquittoLimitSeconds(kick.keepaliveS * 1000));
        expect(silenceS, kick.id).toBeLessThan(mosquittoLimitSeconds(kick.keepaliveS * 1000) + 6 + 0.2);
      }
      for (const kick of kicks) {
        await broker.waitForLog(mosquittoLinePattern(MOSQUITTO_KEEPALIVE.kick, kick.id), 3000, offset);
        expect(signatureTrail(broker.log().slice(offset), kick.id), kick.id).toEqual([
          ref(MOSQUITTO_KEEPALIVE.kick),
        ]);
      }
    }, 30_000);

    it("kicks an odd keepalive before 1.5 × keepalive (k = 3 gone after ~4.2 s of silence)", async () => {
      if (firstSweepS === undefined) throw new Error("needs the sweep phase from the test before");
      // Aim the last packet at 0.8 s into second S - 5, S a future sweep: ⌊3·3/2⌋ = 4 < 5, so the sweep at S
      // kicks after ~4.2 s, before the 4.5 s that [MQTT-3.1.2-24] (3.1.1) allows.
      const now = monoS();
      let sweepS = (firstSweepS as number) + 6 * Math.ceil((now + 6 - (firstSweepS as number)) / 6);
      while (sweepS - 5 + 0.8 < now + 0.5) sweepS += 6;
      // Connect just before: an earlier sweep must not find it silent for more than 4 s.
      await sleep((sweepS - 5 + 0.5 - monoS()) * 1000);
      const client = track(await rawConnectMqtt(broker.port, { clientId: "real-ka-early-k3", keepalive: 3 }));
      await sleep((sweepS - 5 + 0.8 - monoS()) * 1000);
      client.send(Buffer.from("c000", "hex"));
      const lastInS = monoS();
      await client.waitForEnd(12_000);
      const silenceS = monoS() - lastInS;
      expect(Math.floor(lastInS)).toBe(sweepS - 5);
      expect(silenceS).toBeLessThan(4.5);
      expect(silenceS).toBeGreaterThan(4);
    }, 30_000);
  });
});
