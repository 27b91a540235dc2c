import net from "node:net";
import mqttPacket, { type Packet } from "mqtt-packet";
import { afterEach, describe, expect, it } from "vitest";
import { manualClock } from "../../../src/core/clock.js";
import { broker, sentTo, until } from "./helpers.js";
import { collect, connect5, endAll, realSleep } from "./mqtt5-procedures.js";

/**
 * The spec profile closes a connection gracefully: FIN after its DISCONNECT, then it reads and drops what the
 * client still sends until the client closes too. A client that has not read the DISCONNECT yet and is still
 * answering earlier packets (the Paho interoperability suite's flow-control test sends PUBRELs) must not get a RST,
 * which may make its TCP drop the unread DISCONNECT. The mosquitto and nanomq profiles destroy the socket.
 */
afterEach(endAll);

const sockets: net.Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

interface HalfOpen {
  socket: net.Socket;
  packets: Packet[];
  /** Resolves when the broker's FIN arrived. */
  ended: Promise<void>;
  /** The socket errors seen (ECONNRESET for a RST). */
  errors: string[];
  closed: Promise<void>;
}

/** A raw MQTT 5 client that may keep writing after the broker's FIN (allowHalfOpen). */
async function halfOpen(port: number): Promise<HalfOpen> {
  const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
  sockets.push(socket);
  const packets: Packet[] = [];
  const errors: string[] = [];
  const parser = mqttPacket.parser({ protocolVersion: 5 });
  parser.on("packet", (p: Packet) => packets.push(p));
  socket.on("data", (d: Buffer) => parser.parse(d));
  socket.on("error", (e: NodeJS.ErrnoException) => errors.push(e.code ?? e.message));
  const ended = new Promise<void>((resolve) => socket.once("end", () => resolve()));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  return { socket, packets, ended, errors, closed };
}

const send = (s: net.Socket, p: Packet) => s.write(mqttPacket.generate(p, { protocolVersion: 5 }));
const qos2 = (messageId: number): Packet => ({
  cmd: "publish",
  topic: "drain/t",
  payload: `m${messageId}`,
  qos: 2,
  messageId,
  dup: false,
  retain: false,
});

async function overReceiveMaximum(port: number): Promise<HalfOpen> {
  const c = await halfOpen(port);
  send(c.socket, { cmd: "connect", clientId: "drain", protocolVersion: 5, clean: true, keepalive: 60 });
  for (const id of [1, 2, 3]) send(c.socket, qos2(id));
  await c.ended;
  return c;
}

describe("spec profile: closing drains what the client still sends", () => {
  it("after DISCONNECT 0x93 and the FIN, the client's late PUBRELs get no RST, and a late PUBLISH is dropped", async () => {
    const b = await broker({ profile: "spec", receiveMaximum: 2 });
    const sub = await connect5({ url: b.url, sleep: realSleep }, {});
    await sub.subscribeAsync("drain/#", { qos: 1 });
    const got = collect(sub);
    const sent = sentTo(b, sub.options.clientId ?? "");
    const c = await overReceiveMaximum(b.port);
    expect(c.packets.map((p) => p.cmd)).toEqual(["connack", "pubrec", "pubrec", "disconnect"]);
    await realSleep(50); // long past the point where a destroyed socket would answer with a RST
    send(c.socket, { cmd: "pubrel", messageId: 1 });
    send(c.socket, { cmd: "pubrel", messageId: 2 });
    // a RST does not surface until the next write: this one would fail with ECONNRESET
    await realSleep(100);
    send(c.socket, {
      cmd: "publish",
      topic: "drain/t",
      payload: "late",
      qos: 1,
      messageId: 4,
      dup: false,
      retain: false,
    });
    await realSleep(200);
    expect(c.errors).toEqual([]);
    expect(c.packets.map((p) => p.cmd)).toEqual(["connack", "pubrec", "pubrec", "disconnect"]);
    c.socket.end();
    await c.closed;
    expect(c.errors).toEqual([]);
    // the broker read all the client sent before its FIN: it forwarded the two accepted messages, not the late one
    expect(sent()).toBe(2);
    await until(() => got.length >= 2, 2000, "the two accepted messages");
    expect(got.map((m) => m.payload)).toEqual(["m1", "m2"]);
  });

  it("a client that never closes its side is let go at the grace time (2 s): from then on its writes get a RST", async () => {
    const clock = manualClock();
    const b = await broker({ profile: "spec", receiveMaximum: 2, clock });
    const c = await overReceiveMaximum(b.port);
    // a RST does not surface until the write after the one it answers: two writes each time
    for (const id of [1, 2]) {
      send(c.socket, { cmd: "pubrel", messageId: id });
      await realSleep(100);
    }
    expect(c.errors).toEqual([]);
    clock.advance(1999); // 1 ms short of the grace time, on the broker's clock: still drained
    for (const id of [1, 2]) {
      send(c.socket, { cmd: "pubrel", messageId: id });
      await realSleep(100);
    }
    expect(c.errors).toEqual([]);
    clock.advance(1); // the grace time: the broker lets the socket go
    for (const id of [1, 2]) {
      send(c.socket, { cmd: "pubrel", messageId: id });
      await realSleep(100);
    }
    await c.closed;
    // measured: EPIPE (Linux reports the RST on the next send); ECONNRESET is the other way a RST surfaces
    expect(c.errors).toHaveLength(1);
    expect(["EPIPE", "ECONNRESET"]).toContain(c.errors[0]);
  });
});
