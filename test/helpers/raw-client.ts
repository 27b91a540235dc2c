import net from "node:net";
import mqttPacket, { type IConnectPacket, type Packet } from "mqtt-packet";

/**
 * A tiny raw-socket MQTT client for tests: sends exactly the bytes it is given, records every byte it receives,
 * and reports how the socket ended (FIN from the peer, RST, or still open) and when. Test code only: it reads
 * real time (performance.now) for its own measurements.
 */
export type EndKind = "fin" | "rst" | "error" | "local" | "open";

export interface RawEnd {
  kind: EndKind;
  /** Real ms since the client's last send (or since it connected, if it never sent), null when still open. */
  afterLastSendMs: number | null;
  /** Real ms since the TCP connection was established, null when still open. */
  afterConnectMs: number | null;
  /** The socket error code for `rst`/`error` (ECONNRESET, EPIPE, ...). */
  code?: string;
}

export interface RawClient {
  readonly socket: net.Socket;
  readonly localPort: number;
  /** performance.now() when the TCP connection was up (what RawEnd.afterConnectMs counts from). */
  readonly connectedAt: number;
  send(bytes: Buffer): void;
  /** Every byte received so far. */
  received(): Buffer;
  /** The received bytes decoded as MQTT packets (protocol 4 = 3.1.1, 5 = MQTT 5). */
  packets(protocolVersion?: 4 | 5): Packet[];
  /** Resolves when at least `count` bytes have arrived, or rejects after timeoutMs. */
  waitForBytes(count: number, timeoutMs?: number): Promise<Buffer>;
  /** Resolves when at least `count` whole packets have arrived, or rejects after timeoutMs. */
  waitForPackets(count: number, protocolVersion?: 4 | 5, timeoutMs?: number): Promise<Packet[]>;
  /** Resolves with how the socket ended, or `open` if it is still open after timeoutMs. */
  waitForEnd(timeoutMs: number): Promise<RawEnd>;
  /** The end so far, without waiting (kind `open` while open). */
  ended(): RawEnd;
  /** Closes with FIN (no DISCONNECT). */
  end(): Promise<void>;
  /** Closes with a TCP RST (SO_LINGER 0). */
  reset(): void;
  destroy(): void;
}

const OPEN: RawEnd = { kind: "open", afterLastSendMs: null, afterConnectMs: null };

export async function rawConnect(port: number, host = "127.0.0.1"): Promise<RawClient> {
  const socket = net.connect({ port, host, allowHalfOpen: false });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  const connectedAt = performance.now();
  let lastSendAt = connectedAt;
  let data = Buffer.alloc(0);
  let end: RawEnd = OPEN;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  const finish = (kind: EndKind, code?: string) => {
    if (end.kind !== "open") return;
    const now = performance.now();
    end = { kind, afterLastSendMs: now - lastSendAt, afterConnectMs: now - connectedAt, code };
    notify();
  };
  socket.on("data", (chunk: Buffer) => {
    data = Buffer.concat([data, chunk]);
    notify();
  });
  socket.on("end", () => finish("fin"));
  socket.on("error", (err: NodeJS.ErrnoException) =>
    finish(err.code === "ECONNRESET" ? "rst" : "error", err.code),
  );
  // A close we did not see an end or error for (we destroyed it ourselves).
  socket.on("close", () => finish("local"));

  const waitFor = <T>(ready: () => T | undefined, timeoutMs: number, onTimeout: () => T | Error) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = ready();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        const value = onTimeout();
        if (value instanceof Error) reject(value);
        else resolve(value);
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    socket,
    localPort: socket.localPort ?? 0,
    connectedAt,
    send(bytes) {
      lastSendAt = performance.now();
      socket.write(bytes);
    },
    received: () => data,
    packets: (protocolVersion = 4) => decodePackets(data, protocolVersion),
    waitForBytes: (count, timeoutMs = 5000) =>
      waitFor(
        () => (data.length >= count ? data : undefined),
        timeoutMs,
        () => new Error(`only ${data.length} of ${count} bytes arrived in ${timeoutMs} ms`),
      ),
    waitForPackets: (count, protocolVersion = 4, timeoutMs = 5000) =>
      waitFor(
        () => {
          const packets = decodeWhole(data, protocolVersion);
          return packets.length >= count ? packets : undefined;
        },
        timeoutMs,
        () =>
          new Error(
            `only ${decodeWhole(data, protocolVersion).length} of ${count} packets in ${timeoutMs} ms`,
          ),
      ),
    waitForEnd: (timeoutMs) =>
      waitFor(
        () => (end.kind === "open" ? undefined : end),
        timeoutMs,
        () => end,
      ),
    ended: () => end,
    end: () =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once("close", () => resolve());
        socket.end();
      }),
    reset() {
      if (!socket.destroyed) socket.resetAndDestroy();
    },
    destroy() {
      socket.destroy();
    },
  };
}

/** Decodes a byte stream into MQTT packets; throws on a parse error. */
export function decodePackets(bytes: Buffer, protocolVersion: 4 | 5 = 4): Packet[] {
  const parser = mqttPacket.parser({ protocolVersion });
  const packets: Packet[] = [];
  let error: Error | undefined;
  parser.on("packet", (p: Packet) => packets.push(p));
  parser.on("error", (e: Error) => {
    error = e;
  });
  parser.parse(bytes);
  if (error) throw error;
  return packets;
}

/** The whole packets at the start of `bytes`, ignoring a trailing partial or undecodable packet. */
function decodeWhole(bytes: Buffer, protocolVersion: 4 | 5): Packet[] {
  const parser = mqttPacket.parser({ protocolVersion });
  const packets: Packet[] = [];
  parser.on("packet", (p: Packet) => packets.push(p));
  parser.on("error", () => {});
  parser.parse(bytes);
  return packets;
}

/** A valid CONNECT (3.1.1 unless protocolVersion 5), encoded with mqtt-packet. */
export function connectBytes(options: Partial<IConnectPacket> & { clientId: string }): Buffer {
  return mqttPacket.generate({
    cmd: "connect",
    protocolId: "MQTT",
    protocolVersion: 4,
    clean: true,
    keepalive: 60,
    ...options,
  });
}

/** Connects, sends CONNECT and waits for the CONNACK (its bytes stay in `received()`). */
export async function rawConnectMqtt(
  port: number,
  options: Partial<IConnectPacket> & { clientId: string },
  host = "127.0.0.1",
): Promise<RawClient> {
  const client = await rawConnect(port, host);
  try {
    client.send(connectBytes(options));
    const [connack] = await client.waitForPackets(1, options.protocolVersion === 5 ? 5 : 4);
    if (connack?.cmd !== "connack") throw new Error(`expected CONNACK, got ${connack?.cmd}`);
    return client;
  } catch (err) {
    client.destroy();
    throw err;
  }
}
