import net from "node:net";

/**
 * Deliberately broken "brokers" on loopback (plain net.Server on port 0) for the probe's robustness tests.
 * Each answers a client's first bytes in one bad way; `close()` ends every connection and the listener.
 */
export type HostileKind =
  | "no-connack"
  | "garbage"
  | "close-after-connack"
  | "no-pingresp"
  | "trickle"
  | "kick";

export interface HostileBroker {
  port: number;
  url: string;
  connections(): number;
  close(): Promise<void>;
}

/** CONNACK for 3.1.1 (accepted) and for 5 (accepted, no properties). */
const CONNACK_311 = Buffer.from("20020000", "hex");
const CONNACK_5 = Buffer.from("2003000000", "hex");

export async function startHostileBroker(
  kind: HostileKind,
  options: {
    trickleMs?: number;
    /** "kick": seconds after a CONNECT with this keepalive at which the fake closes the connection (FIN). */
    kickAfterS?: (keepaliveS: number) => number;
  } = {},
): Promise<HostileBroker> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    const own = new Set<NodeJS.Timeout>();
    socket.on("close", () => {
      sockets.delete(socket);
      for (const t of own) clearTimeout(t);
    });
    socket.on("error", () => {});
    let greeted = false;
    socket.on("data", (bytes) => {
      const first = !greeted;
      greeted = true;
      const v5 = first && isV5Connect(bytes);
      const connack = v5 ? CONNACK_5 : CONNACK_311;
      switch (kind) {
        case "no-connack":
          return;
        case "garbage":
          if (first) socket.write(Buffer.from("HTTP/1.1 400 Bad Request\r\n\r\n"));
          return;
        case "close-after-connack":
          if (first) socket.end(connack);
          return;
        case "no-pingresp":
          if (first) socket.write(connack);
          // everything else (PINGREQ, SUBSCRIBE, PUBLISH) goes unanswered
          return;
        case "trickle":
          if (first) trickle(socket, connack, options.trickleMs ?? 1000, timers);
          return;
        case "kick":
          // answers CONNECT, ignores everything else, and closes at a chosen time: a broker with any timing
          if (!first) return;
          socket.write(connack);
          schedule(
            own,
            timers,
            () => socket.end(),
            1000 * (options.kickAfterS ?? ((k) => 1.5 * k))(keepaliveOf(bytes)),
          );
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Byte 7 of a CONNECT with protocol name "MQTT" is the protocol level. */
function isV5Connect(bytes: Buffer): boolean {
  return (
    bytes[0] === 0x10 && bytes.subarray(2, 8).toString("latin1") === "\u0000\u0004MQTT" && bytes[8] === 5
  );
}

/** The keepalive (s) of a CONNECT: the 2 bytes after the protocol name, level and flags. */
function keepaliveOf(bytes: Buffer): number {
  let i = 1;
  while ((bytes[i] ?? 0) & 0x80) i++; // remaining length, 1–4 bytes
  const nameLength = bytes.readUInt16BE(i + 1);
  return bytes.readUInt16BE(i + 1 + 2 + nameLength + 2);
}

function schedule(own: Set<NodeJS.Timeout>, all: Set<NodeJS.Timeout>, fn: () => void, ms: number): void {
  const t = setTimeout(fn, ms);
  own.add(t);
  all.add(t);
}

/** Sends one byte every `everyMs`. */
function trickle(socket: net.Socket, bytes: Buffer, everyMs: number, timers: Set<NodeJS.Timeout>): void {
  let i = 0;
  const next = () => {
    if (socket.destroyed || i >= bytes.length) return;
    socket.write(bytes.subarray(i, i + 1));
    i++;
    const t = setTimeout(next, everyMs);
    timers.add(t);
  };
  next();
}
