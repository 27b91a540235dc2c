import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type SocketWatch, watchSockets } from "../../../src/core/in-flight.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function watch(): SocketWatch {
  const w = watchSockets();
  cleanups.push(() => w.stop());
  return w;
}

/** A loopback server whose accepted sockets are handed to the test; `read` false: they never read. */
async function server(): Promise<{ port: number; accepted: Promise<net.Socket> }> {
  const srv = net.createServer();
  let resolve!: (s: net.Socket) => void;
  const accepted = new Promise<net.Socket>((r) => {
    resolve = r;
  });
  srv.on("connection", (s) => resolve(s));
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  cleanups.push(() => srv.close());
  const address = srv.address();
  return { port: typeof address === "object" && address ? address.port : 0, accepted };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
/** Turns of the event loop until the watch finds the world idle (at most `max`), how many it took. */
async function turnsUntilIdle(w: SocketWatch, max = 200): Promise<number> {
  for (let i = 0; i < max; i++) {
    if (w.idle()) return i;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return -1;
}

describe("watchSockets: in-flight accounting of this process's loopback connections", () => {
  it("is busy while connecting and while written bytes are unread, idle once both ends have read them", async () => {
    const w = watch();
    const { port, accepted } = await server();
    const client = net.connect(port, "127.0.0.1");
    cleanups.push(() => client.destroy());
    expect(w.idle()).toBe(false);
    expect(w.busy()).toContain("connecting");
    const peer = await accepted;
    cleanups.push(() => peer.destroy());
    const got: Buffer[] = [];
    peer.on("data", (b: Buffer) => got.push(b));
    client.on("data", () => {});
    expect(await turnsUntilIdle(w)).toBeGreaterThanOrEqual(0);
    client.write(Buffer.alloc(1000));
    expect(w.idle()).toBe(false);
    expect(w.busy()).toContain("bytes");
    expect(await turnsUntilIdle(w)).toBeGreaterThanOrEqual(0);
    expect(Buffer.concat(got).length).toBe(1000);
    expect(w.size()).toBe(2);
  });

  it("is busy while a FIN is on its way and the connection closes, then forgets the pair", async () => {
    const w = watch();
    const { port, accepted } = await server();
    const client = net.connect(port, "127.0.0.1");
    client.on("data", () => {});
    const peer = await accepted;
    peer.on("data", () => {});
    let peerClosed = false;
    peer.on("close", () => {
      peerClosed = true;
    });
    expect(await turnsUntilIdle(w)).toBeGreaterThanOrEqual(0);
    client.end();
    expect(w.idle()).toBe(false);
    expect(await turnsUntilIdle(w)).toBeGreaterThanOrEqual(0);
    // idle only once every close event has been emitted on both sides
    expect(peerClosed).toBe(true);
    expect(w.size()).toBe(0);
  });

  it("is busy for a socket whose other end it never saw open (a peer outside what it watches)", async () => {
    const { port, accepted } = await server();
    // opened before the watch started: it sees only the accepted end, so it cannot tell what is in flight
    const client = net.connect(port, "127.0.0.1");
    cleanups.push(() => client.destroy());
    const w = watch();
    const peer = await accepted;
    cleanups.push(() => peer.destroy());
    peer.on("data", () => {});
    await turn();
    expect(w.idle()).toBe(false);
    expect(w.busy()).toEqual(["no-peer"]);
  });

  it("counts bytes moved in its activity number", async () => {
    const w = watch();
    const { port, accepted } = await server();
    const client = net.connect(port, "127.0.0.1");
    cleanups.push(() => client.destroy());
    const peer = await accepted;
    cleanups.push(() => peer.destroy());
    peer.on("data", () => {});
    await turnsUntilIdle(w);
    const before = w.activity();
    client.write("hello");
    await turnsUntilIdle(w);
    expect(w.activity()).toBe(before + 10); // 5 written, 5 read
  });
});
