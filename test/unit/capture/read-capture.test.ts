import { describe, expect, it } from "vitest";
import { readChunks } from "../../../src/capture/read-capture.js";
import {
  Conversation,
  gzip,
  LINK,
  merged,
  type PcapngOptions,
  type PcapOptions,
  pcapFile,
  pcapngFile,
} from "../../helpers/capture-writer.js";

const T0 = 1_765_000_000_000; // ms since the epoch
const client = { addr: "192.168.1.20", port: 50123 };
const broker = { addr: "192.168.1.10", port: 1883 };

/** Feeds the file in small uneven chunks: no record may depend on how reads fall. */
async function read(file: Buffer, ports: number[] = [1883], chunk = 37) {
  async function* chunks() {
    for (let at = 0; at < file.length; at += chunk) yield file.subarray(at, at + chunk);
  }
  return readChunks("test.pcap", chunks(), { ports, tlsPorts: [8883] });
}

/** A healthy 3.1.1 session: CONNECT (keepalive 5), CONNACK, two PINGREQ/PINGRESP, DISCONNECT, FIN both ways. */
function healthy(c = client, b = broker): Conversation {
  const conv = new Conversation(c, b).handshake(T0);
  conv.mqtt("client", T0 + 1, {
    cmd: "connect",
    clientId: "dev-1",
    keepalive: 5,
    protocolVersion: 4,
    clean: true,
    protocolId: "MQTT",
  });
  conv.mqtt("broker", T0 + 2, { cmd: "connack", returnCode: 0, sessionPresent: false });
  conv.mqtt("client", T0 + 5001, { cmd: "pingreq" });
  conv.mqtt("broker", T0 + 5002, { cmd: "pingresp" });
  conv.mqtt("client", T0 + 10001, { cmd: "pingreq" });
  conv.mqtt("broker", T0 + 10002, { cmd: "pingresp" });
  conv.mqtt("client", T0 + 12000, { cmd: "disconnect" });
  conv.fin("client", T0 + 12001).fin("broker", T0 + 12002);
  return conv;
}

function expectHealthy(read: Awaited<ReturnType<typeof readChunks>>) {
  expect(read.connections).toHaveLength(1);
  const t = read.connections[0];
  expect(t?.connect).toMatchObject({ clientId: "dev-1", keepaliveS: 5, protocolVersion: 4 });
  expect(t?.counts.client).toMatchObject({ connect: 1, pingreq: 2, disconnect: 1 });
  expect(t?.counts.broker).toMatchObject({ connack: 1, pingresp: 2 });
  expect(t?.pingGapsMs[0]).toBeCloseTo(5000, 3);
  expect(t?.closes.map((c) => `${c.by}:${c.how}`)).toEqual(["client:disconnect", "client:fin", "broker:fin"]);
  expect(t?.losses).toEqual([]);
  expect(t?.missed).toEqual([]);
  expect(t?.ended).toBeDefined();
}

describe("capture formats", () => {
  const packets = healthy().packets;
  const pcaps: [string, PcapOptions][] = [
    ["pcap µs little-endian", {}],
    ["pcap µs big-endian", { bigEndian: true }],
    ["pcap ns little-endian", { nanoseconds: true }],
    ["pcap ns big-endian", { nanoseconds: true, bigEndian: true }],
  ];
  it.each(pcaps)("%s", async (_name, options) => {
    const r = await read(pcapFile(packets, options));
    expect(r.format).toBe("pcap");
    expect(r.packets).toBe(packets.length);
    expect(r.firstMs).toBeCloseTo(T0, 2);
    expectHealthy(r);
    expect(r.connections[0]?.connect?.at.timeMs).toBeCloseTo(T0 + 1, 2);
  });

  const pcapngs: [string, PcapngOptions][] = [
    ["pcapng little-endian µs", {}],
    ["pcapng big-endian µs", { bigEndian: true }],
    ["pcapng ns (if_tsresol 9)", { interfaces: [{ linkType: LINK.ethernet, tsresol: 9 }] }],
    ["pcapng 2^-20 s (if_tsresol 0x94)", { interfaces: [{ linkType: LINK.ethernet, tsresol: 0x94 }] }],
    [
      "pcapng two interfaces of different link types",
      {
        interfaces: [{ linkType: LINK.ethernet }, { linkType: LINK.sll2, tsresol: 9 }],
        interfaceOf: (i) => i % 2,
      },
    ],
  ];
  it.each(pcapngs)("%s", async (_name, options) => {
    const r = await read(pcapngFile(packets, options));
    expect(r.format).toBe("pcapng");
    expect(r.packets).toBe(packets.length);
    expectHealthy(r);
    expect(r.connections[0]?.connect?.at.timeMs).toBeCloseTo(T0 + 1, 2);
  });

  it("pcapng Simple Packet Blocks (no timestamps) are read", async () => {
    const r = await read(pcapngFile(packets, { simple: true }));
    expect(r.packets).toBe(packets.length);
    expect(r.connections[0]?.connect?.clientId).toBe("dev-1");
  });

  it("gzip-compressed pcap and pcapng", async () => {
    expectHealthy(await read(gzip(pcapFile(packets))));
    expectHealthy(await read(gzip(pcapngFile(packets, { bigEndian: true }))));
  });

  it.each([
    ["ethernet", LINK.ethernet, 0],
    ["ethernet + VLAN", LINK.ethernet, 1],
    ["ethernet + QinQ", LINK.ethernet, 2],
    ["Linux cooked SLL", LINK.sll, 0],
    ["Linux cooked SLL2 (tcpdump -i any)", LINK.sll2, 0],
    ["loopback NULL", LINK.null, 0],
    ["loopback LOOP", LINK.loop, 0],
    ["raw IP", LINK.raw, 0],
  ])("link type %s", async (_name, linkType, vlans) => {
    expectHealthy(await read(pcapFile(packets, { linkType, vlans })));
  });

  it("IPv6", async () => {
    const v6 = healthy({ addr: "2001:db8::20", port: 50123 }, { addr: "2001:db8::10", port: 1883 });
    const r = await read(pcapFile(v6.packets, { linkType: LINK.sll2 }));
    expectHealthy(r);
    expect(r.connections[0]?.client).toEqual({ addr: "2001:db8::20", port: 50123 });
  });

  it.each([
    ["an empty file", Buffer.alloc(0), /empty file/],
    ["a text file", Buffer.from("hello, this is not a capture\n"), /not a capture/],
    ["a cut pcap header", pcapFile(packets).subarray(0, 10), /truncated pcap/],
    [
      "a pcap cut inside a record",
      pcapFile(packets).subarray(0, 100),
      /truncated pcap file: \d+ bytes .* after packet 1/,
    ],
    ["a pcapng cut inside a block", pcapngFile(packets).subarray(0, 150), /truncated pcapng/],
  ])("%s is one clear error", async (_name, file, message) => {
    await expect(read(file)).rejects.toThrow(message);
  });

  it("a corrupt record length is refused at once, not buffered", async () => {
    const file = pcapFile(packets);
    file.writeUInt32LE(0x7fffffff, 24 + 8);
    await expect(read(file)).rejects.toThrow(/corrupt pcap record after packet 0/);
  });

  it("a capture of an unsupported link type only is one clear error", async () => {
    await expect(read(pcapFile(packets, { linkType: 147 }))).rejects.toThrow(
      /link type 147 is not read \(read: .*Ethernet/,
    );
  });

  it("frames of an unsupported link type beside known ones are skipped and reported", async () => {
    const r = await read(
      pcapngFile(packets, {
        interfaces: [{ linkType: LINK.ethernet }, { linkType: 147 }],
        interfaceOf: (i) => (i === 2 ? 1 : 0),
      }),
    );
    expect(r.unsupportedLinkTypes).toEqual([147]);
    expect(r.connections[0]?.connect?.clientId).toBe("dev-1");
  });
});

describe("which connections are MQTT", () => {
  it("a CONNECT as the first bytes makes any port MQTT, and the port is then known", async () => {
    const a = healthy(client, { addr: "10.0.0.1", port: 11883 });
    const r = await read(pcapFile(a.packets));
    expect(r.connections.map((c) => c.broker.port)).toEqual([11883]);
    expect(r.connections[0]?.roles).toBe("syn");
  });

  it("a connection on another port that does not start with CONNECT is not reported", async () => {
    const http = new Conversation(client, { addr: "10.0.0.1", port: 80 }).handshake(T0);
    http.send("client", T0 + 1, Buffer.from("GET / HTTP/1.1\r\n\r\n"));
    http.fin("client", T0 + 2).fin("broker", T0 + 3);
    const r = await read(pcapFile(merged(http, healthy())));
    expect(r.connections).toHaveLength(1);
    expect(r.otherConnections).toBe(1);
  });

  it("a capture started mid-connection: roles from the port, framing resumes at a whole-frame segment", async () => {
    const conv = healthy();
    const mid = conv.packets.slice(6); // from the first PINGREQ's segment on
    const r = await read(pcapFile(mid));
    const t = r.connections[0];
    expect(t?.roles).toBe("port");
    expect(t?.connect).toBeUndefined();
    expect(t?.counts.client.pingreq).toBe(2);
  });

  it("TLS on 8883 is packet timing only", async () => {
    const conv = new Conversation(client, { addr: "10.0.0.1", port: 8883 }).handshake(T0);
    conv.send("client", T0 + 1, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]));
    conv.send("client", T0 + 3000, Buffer.from([0x17, 0x03, 0x03, 0x00, 0x02, 9, 9]));
    const r = await read(pcapFile(conv.packets));
    expect(r.connections[0]?.transport).toBe("tls");
    expect(r.connections[0]?.counts.client["tls-record"]).toBe(2);
  });
});

describe("our TCP reassembly", () => {
  function session(isn?: { client?: number; broker?: number }) {
    const conv = new Conversation(client, broker, { isn }).handshake(T0);
    conv.mqtt("client", T0 + 1, {
      cmd: "connect",
      clientId: "dev-1",
      keepalive: 5,
      protocolVersion: 4,
      clean: true,
      protocolId: "MQTT",
    });
    conv.mqtt("broker", T0 + 2, { cmd: "connack", returnCode: 0, sessionPresent: false });
    return conv;
  }
  const publish = (n: number) =>
    ({ cmd: "publish", topic: "t", payload: Buffer.alloc(n, 7), qos: 0, retain: false, dup: false }) as const;

  it("sequence numbers wrapping past 2^32 change nothing", async () => {
    const conv = session({ client: 0xffffffff - 30, broker: 0xfffffff0 });
    for (let i = 1; i <= 5; i++) conv.mqtt("client", T0 + i * 1000, publish(40));
    conv.mqtt("client", T0 + 6000, { cmd: "pingreq" });
    const t = (await read(pcapFile(conv.packets))).connections[0];
    expect(t?.counts.client).toMatchObject({ connect: 1, publish: 5, pingreq: 1 });
    expect(t?.losses).toEqual([]);
    expect(t?.missed).toEqual([]);
  });

  it("a segment sent twice is a retransmission, counted once as MQTT", async () => {
    const conv = session();
    const { seq } = conv.mqtt("client", T0 + 5000, { cmd: "pingreq" }, { capture: "lost" });
    conv.resend("client", T0 + 5200, seq, Buffer.from([0xc0, 0]));
    const t = (await read(pcapFile(conv.packets))).connections[0];
    expect(t?.counts.client.pingreq).toBe(1);
    expect(t?.losses).toMatchObject([{ side: "client", kind: "retransmitted", bytes: 2, at: { packet: 9 } }]);
    expect(t?.missed).toEqual([]);
  });

  it("bytes the capture missed (ACKed by the receiver, never seen) are missed, not retransmitted", async () => {
    const conv = session();
    conv.mqtt("client", T0 + 5000, { cmd: "pingreq" }, { capture: "missed" });
    conv.mqtt("client", T0 + 10000, { cmd: "pingreq" });
    const t = (await read(pcapFile(conv.packets))).connections[0];
    expect(t?.missed).toMatchObject([{ side: "client", bytes: 2, reason: "acknowledged-unseen" }]);
    expect(t?.losses).toEqual([]);
    // the framing goes on at the next whole-frame segment
    expect(t?.counts.client.pingreq).toBe(1);
  });

  it("a segment the snaplen cut: its missing bytes are missed, and framing skips the rest of the frame", async () => {
    const conv = session();
    conv.mqtt("client", T0 + 1000, publish(1000), { capture: "snap", snap: 14 + 40 + 100 });
    conv.mqtt("client", T0 + 2000, { cmd: "pingreq" });
    const t = (await read(pcapFile(conv.packets))).connections[0];
    expect(t?.missed[0]).toMatchObject({ side: "client", reason: "snaplen" });
    expect(t?.counts.client.pingreq).toBe(1);
  });

  it("out-of-order segments are put back in order; the hole filled late is a sign of loss", async () => {
    const conv = session();
    const first = Buffer.from([0xc0, 0]);
    const second = Buffer.from([0xc0, 0]);
    const seq1 = conv.reserve("client", 2);
    const seq2 = conv.reserve("client", 2);
    conv.sendAt("client", T0 + 5000, seq2, second);
    conv.sendAt("client", T0 + 5300, seq1, first);
    const t = (await read(pcapFile(conv.packets))).connections[0];
    expect(t?.counts.client.pingreq).toBe(2);
    expect(t?.losses).toMatchObject([{ side: "client", kind: "filled-late", since: { timeMs: T0 + 5000 } }]);
    expect(t?.missed).toEqual([]);
  });

  it("a client RST ends the connection at once", async () => {
    const conv = session();
    conv.rst("client", T0 + 3000);
    const t = (await read(pcapFile(conv.packets))).connections[0];
    expect(t?.closes).toMatchObject([{ by: "client", how: "rst" }]);
    expect(t?.ended?.timeMs).toBeCloseTo(T0 + 3000, 3);
  });
});
