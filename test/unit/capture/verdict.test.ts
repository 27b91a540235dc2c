import type { IConnectPacket } from "mqtt-packet";
import { describe, expect, it } from "vitest";
import { buildCaptureReport, isFinding } from "../../../src/capture/capture-report.js";
import { readChunks } from "../../../src/capture/read-capture.js";
import type { ConnectionTimeline } from "../../../src/capture/timeline.js";
import { verdictOf } from "../../../src/capture/verdict.js";
import type { Verdict } from "../../../src/capture/verdict-types.js";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import { Conversation, merged, pcapFile, type WrittenPacket } from "../../helpers/capture-writer.js";

const T0 = 1_765_000_000_000;
const C = { addr: "10.1.0.20", port: 40001 };
const B = { addr: "10.1.0.10", port: 1883 };
/** NanoMQ at Q 1 s, M 1.25: KA 2 → kicked at the 3rd idle tick (⌊2·1.25/1⌋ + 1), ticks 1.5 s after CONNECT then every 1 s. */
const NANOMQ: ProfileOptions = {
  ...DEFAULT_PROFILE_OPTIONS,
  retryIntervalMs: 1000,
  keepaliveMultiplier: 1.25,
};
const SPEC: ProfileOptions = { ...DEFAULT_PROFILE_OPTIONS, profile: "spec" };

async function timelines(packets: WrittenPacket[]): Promise<ConnectionTimeline[]> {
  async function* one() {
    yield pcapFile(packets);
  }
  return (await readChunks("t.pcap", one(), { ports: [1883], tlsPorts: [8883] })).connections;
}

async function timelinesRead(packets: WrittenPacket[]) {
  async function* one() {
    yield pcapFile(packets);
  }
  return readChunks("t.pcap", one(), { ports: [1883], tlsPorts: [8883] });
}

async function verdicts(packets: WrittenPacket[], model = NANOMQ) {
  return (await timelines(packets)).map((t) => verdictOf(t, { model }));
}

const connect = (clientId: string, keepalive: number, protocolVersion: 4 | 5 = 4): IConnectPacket => ({
  cmd: "connect",
  clientId,
  keepalive,
  protocolVersion,
  clean: true,
  protocolId: "MQTT",
});

/** CONNECT at T0+1 ms (keepalive `ka`), CONNACK at T0+2 ms. */
function opened(ka = 2, c = C, id = "dev-1", answerMs: { client?: number; broker?: number } = {}) {
  const conv = new Conversation(c, B, { answerMs }).handshake(T0 - 1);
  conv.mqtt("client", T0 + 1, connect(id, ka));
  conv.mqtt("broker", T0 + 2, { cmd: "connack", returnCode: 0, sessionPresent: false });
  return conv;
}

const kinds = (v: { evidence: { fact: { kind: string } }[] }) => v.evidence.map((e) => e.fact.kind);

describe("endings and causes", () => {
  it("DISCONNECT: client-disconnect, none", async () => {
    const conv = opened();
    conv.mqtt("client", T0 + 1000, { cmd: "disconnect" });
    conv.fin("client", T0 + 1001).fin("broker", T0 + 1002);
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "client-disconnect", cause: "none" });
  });

  it("a client silent past its keepalive, kicked on the model's tick: kicked, client-late, on time", async () => {
    const conv = opened(2);
    conv.mqtt("client", T0 + 2001, { cmd: "pingreq" });
    conv.mqtt("broker", T0 + 2002, { cmd: "pingresp" });
    // last inbound at +2.001 s; ticks at +1.501, +2.501, …: the first after it is +2.501, the kick 3 ticks later
    conv.fin("broker", T0 + 5501);
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "kicked", cause: "client-late", kick: { timing: "on-time" } });
    expect(v?.kick?.earliestMs).toBeCloseTo(T0 + 5501, 3);
    expect(kinds(v as never)).toEqual(
      expect.arrayContaining(["connect", "last-client-packet", "silence", "kick-window", "close"]),
    );
  });

  it("the same kick a whole tick early is early for the model", async () => {
    const conv = opened(2);
    conv.mqtt("client", T0 + 2001, { cmd: "pingreq" });
    conv.fin("broker", T0 + 4501);
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "kicked", cause: "client-late", kick: { timing: "early" } });
  });

  it("a client on time kicked by a broker whose model would not: cause none, kick early (the broker's doing)", async () => {
    const conv = opened(10);
    conv.mqtt("client", T0 + 5000, { cmd: "pingreq" });
    conv.mqtt("broker", T0 + 5001, { cmd: "pingresp" });
    conv.fin("broker", T0 + 8000);
    const [v] = await verdicts(conv.packets, SPEC);
    expect(v).toMatchObject({ ending: "kicked", cause: "none", kick: { timing: "early" } });
  });

  it("a PINGREQ the network lost and sent again: network", async () => {
    const conv = opened(2);
    const { seq } = conv.mqtt("client", T0 + 2001, { cmd: "pingreq" }, { capture: "lost" });
    conv.resend("client", T0 + 4200, seq, Buffer.from([0xc0, 0]));
    conv.fin("broker", T0 + 4400);
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "kicked", cause: "network" });
    expect(kinds(v as never)).toContain("retransmitted");
  });

  it("client data the broker never acknowledged (captured beside the client): network", async () => {
    const conv = opened(2);
    conv.mqtt("client", T0 + 2001, { cmd: "pingreq" }, { capture: "lost" });
    conv.fin("broker", T0 + 4501);
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "kicked", cause: "network" });
    expect(kinds(v as never)).toContain("unacknowledged");
  });

  it("client bytes the capture missed in the last keepalive: undecidable, never client-late", async () => {
    const conv = opened(2);
    conv.mqtt("client", T0 + 2001, { cmd: "pingreq" }, { capture: "missed" });
    conv.mqtt("client", T0 + 2002, {
      cmd: "publish",
      topic: "t",
      payload: Buffer.from("x"),
      qos: 0,
      retain: false,
      dup: false,
    });
    conv.fin("broker", T0 + 9000);
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "kicked", cause: "undecidable" });
    expect(v?.evidence.find((e) => e.fact.kind === "undecidable")?.fact).toEqual({
      kind: "undecidable",
      reason: "capture-missed-client-bytes",
    });
  });

  it("a PINGREQ with no PINGRESP, then the client closes: client-closed, pingresp-missing", async () => {
    const conv = opened(2);
    conv.mqtt("client", T0 + 2001, { cmd: "pingreq" });
    conv.fin("client", T0 + 3001);
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "client-closed", cause: "pingresp-missing" });
    expect(v?.evidence.find((e) => e.fact.kind === "pingreq-unanswered")?.at.timeMs).toBeCloseTo(
      T0 + 2001,
      3,
    );
  });

  it("a PINGRESP that arrives only after the client closed answered nothing: pingresp-missing", async () => {
    // seen on the client's leg of a link with 0.47 s latency: MQTT.js gave up 0.5 s after its PINGREQ, whose
    // PINGRESP came in behind the client's FIN
    const conv = opened(1);
    conv.mqtt("client", T0 + 1001, { cmd: "pingreq" });
    conv.fin("client", T0 + 1501);
    conv.mqtt("broker", T0 + 1941, { cmd: "pingresp" });
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "client-closed", cause: "pingresp-missing" });
  });

  it("a PINGRESP the broker sent again before the client gave up: network", async () => {
    const conv = opened(2);
    conv.mqtt("client", T0 + 2001, { cmd: "pingreq" });
    const { seq } = conv.mqtt("broker", T0 + 2002, { cmd: "pingresp" }, { capture: "lost" });
    conv.resend("broker", T0 + 2500, seq, Buffer.from([0xd0, 0]));
    conv.rst("client", T0 + 3001);
    const timeline = (await timelines(conv.packets))[0] as ConnectionTimeline;
    // the capture saw the PINGRESP (before the loss): answered as far as it knows, so no pingresp verdict
    expect(verdictOf(timeline, { model: NANOMQ })).toMatchObject({ ending: "client-reset", cause: "none" });
  });

  it("a client RST: client-reset, none", async () => {
    const conv = opened(5);
    conv.rst("client", T0 + 1000);
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "client-reset", cause: "none" });
  });

  it("a refused packet then the broker's close: malformed", async () => {
    const conv = opened(5);
    conv.send("client", T0 + 1000, Buffer.from([0x36, 0x05, 0x00, 0x01, 0x74, 0x00, 0x01]));
    conv.fin("broker", T0 + 1001);
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "malformed", cause: "malformed" });
    expect(v?.evidence.find((e) => e.fact.kind === "violation")?.fact).toMatchObject({
      violation: "publish-qos3",
    });
  });

  it("a 5-byte remaining length then the broker's close: malformed", async () => {
    const conv = opened(5);
    conv.send("client", T0 + 1000, Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]));
    conv.rst("broker", T0 + 1001);
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "malformed", cause: "malformed" });
  });

  it("a second connection with the same client id: takeover, duplicate-client-id", async () => {
    const first = opened(5, C, "same");
    const second = new Conversation({ addr: C.addr, port: 40002 }, B).handshake(T0 + 3000);
    second.mqtt("client", T0 + 3001, connect("same", 5));
    second.mqtt("broker", T0 + 3002, { cmd: "connack", returnCode: 0, sessionPresent: false });
    first.fin("broker", T0 + 3003);
    const [old, young] = await verdicts(merged(first, second));
    expect(old).toMatchObject({ ending: "takeover", cause: "duplicate-client-id" });
    expect(young).toMatchObject({ ending: "open-at-end", cause: "none" });
    expect(kinds(young as never)).toContain("takes-over");
  });

  it("a takeover on the very tick the model kicks: unknown, undecidable (kick-or-takeover)", async () => {
    // seen against the real NanoMQ 0.25.3: the reconnect and the tick 0.3 ms apart, its log saying keepalive
    const first = opened(2, C, "same");
    first.mqtt("client", T0 + 2001, { cmd: "pingreq" });
    first.mqtt("broker", T0 + 2002, { cmd: "pingresp" });
    const second = new Conversation({ addr: C.addr, port: 40002 }, B).handshake(T0 + 5499);
    second.mqtt("client", T0 + 5500, connect("same", 2));
    first.fin("broker", T0 + 5501); // the model's kick: 3 idle ticks after +2.501
    const [old] = await verdicts(merged(first, second));
    expect(old).toMatchObject({ ending: "unknown", cause: "undecidable", kick: { timing: "on-time" } });
    expect(old?.evidence.find((e) => e.fact.kind === "undecidable")?.fact).toEqual({
      kind: "undecidable",
      reason: "kick-or-takeover",
    });
    // the same takeover against mosquitto's sweep, a window seconds wide: a takeover
    const [wide] = (await timelines(merged(first, second))).map((t) =>
      verdictOf(t, { model: { ...DEFAULT_PROFILE_OPTIONS, profile: "mosquitto" } }),
    );
    expect(wide).toMatchObject({ ending: "takeover", cause: "duplicate-client-id" });
  });

  it("a takeover after the model's kick: unknown while a late timer could explain it, takeover past that", async () => {
    const at = async (ms: number) => {
      const first = opened(2, C, "same");
      first.mqtt("client", T0 + 2001, { cmd: "pingreq" });
      first.mqtt("broker", T0 + 2002, { cmd: "pingresp" });
      const second = new Conversation({ addr: C.addr, port: 40002 }, B).handshake(T0 + ms - 2);
      second.mqtt("client", T0 + ms - 1, connect("same", 2));
      first.fin("broker", T0 + ms);
      return (await verdicts(merged(first, second)))[0];
    };
    // the kick due at +5.501: 59 ms late (measured on NanoMQ 0.25.3 under load), and 3 s late
    expect(await at(5560)).toMatchObject({
      ending: "unknown",
      cause: "undecidable",
      kick: { timing: "late" },
    });
    expect(await at(8501)).toMatchObject({ ending: "takeover", cause: "duplicate-client-id" });
  });

  it("the same client id on another broker (another port of the host) takes nothing over", async () => {
    // seen on loopback: the same scenario run against two brokers at once, each kicking its own client
    const first = opened(2, C, "same");
    const other = new Conversation({ addr: C.addr, port: 40002 }, { addr: B.addr, port: 1884 }).handshake(
      T0 + 1000,
    );
    other.mqtt("client", T0 + 1001, connect("same", 2));
    other.mqtt("broker", T0 + 1002, { cmd: "connack", returnCode: 0, sessionPresent: false });
    first.fin("broker", T0 + 4501);
    async function* one() {
      yield pcapFile(merged(first, other));
    }
    const read = await readChunks("t.pcap", one(), { ports: [1883, 1884], tlsPorts: [8883] });
    const [old, young] = read.connections.map((t) => verdictOf(t, { model: NANOMQ }));
    expect(old).toMatchObject({ ending: "kicked", cause: "client-late" });
    expect(kinds(young as never)).not.toContain("takes-over");
  });

  it("a broker DISCONNECT 0x8E: takeover", async () => {
    const conv = opened(5);
    conv.send("broker", T0 + 1000, Buffer.from([0xe0, 0x02, 0x8e, 0x00]));
    conv.fin("broker", T0 + 1001);
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "takeover", cause: "duplicate-client-id" });
  });

  it("a capture begun mid-connection: kicked, undecidable (no CONNECT), kick not modelled", async () => {
    const conv = opened(2);
    conv.mqtt("client", T0 + 2001, { cmd: "pingreq" });
    conv.fin("broker", T0 + 9000);
    const [v] = await verdicts(conv.packets.slice(7));
    expect(v).toMatchObject({ ending: "kicked", cause: "undecidable", kick: { timing: "not-modelled" } });
  });

  it("TLS: timing only, inferred, undecidable", async () => {
    const conv = new Conversation(C, { addr: B.addr, port: 8883 }).handshake(T0);
    conv.send("client", T0 + 1, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x01, 0x01]));
    conv.send("client", T0 + 2000, Buffer.from([0x17, 0x03, 0x03, 0x00, 0x01, 0x01]));
    conv.fin("broker", T0 + 9000);
    const [v] = await verdicts(conv.packets);
    expect(v).toMatchObject({ ending: "kicked", cause: "undecidable", inferred: true });
    const silence = v?.evidence.find((e) => e.fact.kind === "silence")?.fact;
    expect(silence).toMatchObject({ kind: "silence", keepaliveMs: null });
    if (silence?.kind === "silence") expect(silence.ms).toBeCloseTo(7000, 0);
  });

  it("open at the end of the capture: open-at-end, none", async () => {
    const [v] = await verdicts(opened(5).packets);
    expect(v).toMatchObject({ ending: "open-at-end", cause: "none" });
  });

  it("open at the end, silent past the model's kick: half-open, kick late, a finding", async () => {
    const conv = opened(2);
    conv.mqtt("client", T0 + 2001, { cmd: "pingreq" });
    conv.mqtt("broker", T0 + 2002, { cmd: "pingresp" });
    conv.send("broker", T0 + 9000, Buffer.from([0x30, 0x03, 0x00, 0x01, 0x74])); // a PUBLISH to it, unanswered
    const read = await timelinesRead(conv.packets);
    const [c] = buildCaptureReport(read, NANOMQ, "profile-options").connections;
    expect(c?.verdict).toMatchObject({ ending: "open-at-end", cause: "none", kick: { timing: "late" } });
    const half = c?.verdict.evidence.find((e) => e.fact.kind === "half-open")?.fact;
    expect(half).toMatchObject({ kind: "half-open" });
    if (half?.kind === "half-open") expect(half.overdueMs).toBeCloseTo(9000.04 - 5501, 1);
    expect(isFinding(c?.verdict as Verdict)).toBe(true);
  });

  it("open at the end within the model's window: no kick verdict", async () => {
    const conv = opened(2);
    conv.mqtt("client", T0 + 2001, { cmd: "pingreq" });
    const read = await timelinesRead(conv.packets);
    const [c] = buildCaptureReport(read, NANOMQ, "profile-options").connections;
    expect(c?.verdict.kick).toBeUndefined();
    expect(isFinding(c?.verdict as Verdict)).toBe(false);
  });

  it("an MQTT 5 Server Keep Alive is the keepalive in force", async () => {
    const conv = new Conversation(C, B).handshake(T0 - 1);
    conv.mqtt("client", T0 + 1, connect("v5", 60, 5), {}, 5);
    conv.mqtt(
      "broker",
      T0 + 2,
      { cmd: "connack", reasonCode: 0, sessionPresent: false, properties: { serverKeepAlive: 2 } },
      {},
      5,
    );
    conv.fin("broker", T0 + 9000);
    const [v] = await verdicts(conv.packets, SPEC);
    expect(v).toMatchObject({ ending: "kicked", cause: "client-late", kick: { timing: "late" } });
    expect(kinds(v as never)).toContain("server-keepalive");
  });
});

describe("vantage point", () => {
  it("the broker's answers a round trip late: beside the client", async () => {
    const conv = opened(5, C, "dev-1", { broker: 20, client: 0.02 });
    const [v] = await verdicts(conv.packets);
    expect(v?.vantage).toMatchObject({ vantage: "client" });
    expect(v?.vantage.rttMs).toBeCloseTo(20, 1);
    expect(v?.blind).toBe("broker-arrival-times");
  });

  it("the client's answers a round trip late: beside the broker", async () => {
    const conv = opened(5, C, "dev-1", { broker: 0.02, client: 20 });
    const [v] = await verdicts(conv.packets);
    expect(v?.vantage.vantage).toBe("broker");
  });

  it("loopback: same host", async () => {
    const conv = new Conversation(
      { addr: "127.0.0.1", port: 40003 },
      { addr: "127.0.0.1", port: 1883 },
    ).handshake(T0);
    conv.mqtt("client", T0 + 1, connect("lo", 5));
    const [v] = await verdicts(conv.packets);
    expect(v?.vantage.vantage).toBe("same-host");
  });
});

describe("client library from the ping rhythm", () => {
  async function rhythm(ka: number, gapMs: number) {
    const conv = opened(ka);
    for (let i = 1; i <= 5; i++) {
      conv.mqtt("client", T0 + 1 + i * gapMs, { cmd: "pingreq" });
      conv.mqtt("broker", T0 + 2 + i * gapMs, { cmd: "pingresp" });
    }
    const read = await timelinesRead(conv.packets);
    const report = buildCaptureReport(read, NANOMQ, "profile-options");
    const fact = report.connections[0]?.verdict.evidence.find((e) => e.fact.kind === "library-rhythm")?.fact;
    return fact?.kind === "library-rhythm" ? fact.libraries : [];
  }

  it("PINGREQ every 4.0 s at keepalive 3: MQTT-C's KA + 1 s, not MQTT.js", async () => {
    const libraries = await rhythm(3, 4007);
    expect(libraries).toContain("mqtt-c");
    expect(libraries).not.toContain("mqttjs");
  });

  it("PINGREQ every 3.0 s at keepalive 3: MQTT.js's, not MQTT-C", async () => {
    const libraries = await rhythm(3, 3001);
    expect(libraries).toContain("mqttjs");
    expect(libraries).not.toContain("mqtt-c");
  });
});
