import net from "node:net";
import tls from "node:tls";
import WebSocket from "ws";
import type { Clock } from "../core/clock.js";
import { hostPort, type Target } from "../core/target.js";

/** How the connection ended, as the client saw it. "disconnect" is decided one level up (raw-session.ts). */
export type WireCloseKind = "fin" | "rst" | "error" | "local";

export interface WireClose {
  kind: WireCloseKind;
  /** Clock ms when the close was seen. */
  at: number;
  /** errno code (ECONNRESET, ...) when the close was an error. */
  code?: string;
}

export interface TransportOptions {
  clock: Clock;
  /** Bound on TCP connect + TLS handshake + WebSocket upgrade; Infinity for none (the fleet's clients). */
  timeoutMs: number;
  ca?: Buffer;
  /** TLS without certificate verification. */
  insecure?: boolean;
}

/** One byte pipe to the broker over TCP, TLS, or a WebSocket (plain or TLS). */
export interface Wire {
  /** Clock ms from starting to connect until TCP was up. */
  readonly tcpMs: number;
  /** Clock ms for the TLS handshake and/or WebSocket upgrade after TCP (0 for plain TCP). */
  readonly handshakeMs: number;
  /** The TCP connection's local port (what a packet capture names this connection by). */
  readonly localPort: number | undefined;
  write(bytes: Buffer): void;
  onData(listener: (bytes: Buffer) => void): void;
  /** Resolves once, when the connection is gone for whatever reason. */
  readonly closed: Promise<WireClose>;
  /** Half-close (FIN) then wait for the peer. */
  end(): void;
  /** Close now. */
  destroy(): void;
  /** Close with a TCP RST (SO_LINGER 0). */
  reset(): void;
}

export type ConnectFailureKind = "refused" | "dns" | "timeout" | "tls" | "websocket" | "network";

/** Why the transport could not be opened; the runner turns it into an UnreachableError (exit 3). */
export class ConnectFailure extends Error {
  constructor(
    readonly kind: ConnectFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export async function openWire(target: Target, options: TransportOptions): Promise<Wire> {
  const { clock } = options;
  const started = clock.now();
  const socket = await connectTcp(target, options);
  const tcpMs = clock.now() - started;
  try {
    const secure = target.protocol === "mqtts" || target.protocol === "wss";
    const stream = secure ? await startTls(socket, target, options) : socket;
    if (target.protocol === "ws" || target.protocol === "wss") {
      const ws = await upgrade(stream, socket, target, options);
      return wsWire(ws, socket, clock, tcpMs, clock.now() - started - tcpMs);
    }
    return socketWire(stream, socket, clock, tcpMs, clock.now() - started - tcpMs);
  } catch (err) {
    socket.destroy();
    throw err;
  }
}

function withTimeout<T>(
  options: TransportOptions,
  what: string,
  start: (resolve: (v: T) => void, reject: (e: Error) => void) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let abort = () => {};
    const timer = Number.isFinite(options.timeoutMs)
      ? options.clock.setTimeout(() => {
          abort();
          reject(
            new ConnectFailure("timeout", `${what} did not complete within ${options.timeoutMs / 1000} s`),
          );
        }, options.timeoutMs)
      : undefined;
    abort = start(
      (v) => {
        options.clock.clear(timer);
        resolve(v);
      },
      (e) => {
        options.clock.clear(timer);
        reject(e);
      },
    );
  });
}

function connectTcp(target: Target, options: TransportOptions): Promise<net.Socket> {
  return withTimeout(options, `TCP connect to ${hostPort(target)}`, (resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    socket.once("connect", () => {
      socket.removeAllListeners("error");
      resolve(socket);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => reject(tcpFailure(err, target)));
    return () => socket.destroy();
  });
}

function tcpFailure(err: NodeJS.ErrnoException, target: Target): ConnectFailure {
  const where = hostPort(target);
  if (err.code === "ECONNREFUSED") return new ConnectFailure("refused", `connection refused by ${where}`);
  if (err.code === "ENOTFOUND" || err.code === "EAI_AGAIN")
    return new ConnectFailure("dns", `cannot resolve host name "${target.host}" (${err.code})`);
  return new ConnectFailure("network", `cannot connect to ${where}: ${err.code ?? err.message}`);
}

function startTls(socket: net.Socket, target: Target, options: TransportOptions): Promise<tls.TLSSocket> {
  return withTimeout(options, "TLS handshake", (resolve, reject) => {
    const secure = tls.connect({
      socket,
      host: target.host, // checked against the certificate (IP SAN or name)
      servername: net.isIP(target.host) === 0 ? target.host : undefined,
      ca: options.ca,
      rejectUnauthorized: options.insecure !== true,
    });
    secure.once("secureConnect", () => {
      secure.removeAllListeners("error");
      resolve(secure);
    });
    secure.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        new ConnectFailure("tls", `TLS handshake with ${target.host} failed: ${err.code ?? err.message}`),
      ),
    );
    return () => secure.destroy();
  });
}

function upgrade(
  stream: net.Socket,
  raw: net.Socket,
  target: Target,
  options: TransportOptions,
): Promise<WebSocket> {
  const scheme = target.protocol === "wss" ? "wss" : "ws";
  return withTimeout(options, "WebSocket upgrade", (resolve, reject) => {
    const ws = new WebSocket(`${scheme}://${hostPort(target)}${target.path}`, ["mqtt"], {
      createConnection: () => stream,
      rejectUnauthorized: options.insecure !== true,
      ca: options.ca,
      perMessageDeflate: false,
    });
    ws.binaryType = "nodebuffer";
    ws.once("open", () => {
      ws.removeAllListeners("error");
      ws.removeAllListeners("unexpected-response");
      resolve(ws);
    });
    ws.once("unexpected-response", (_req, res) => {
      reject(new ConnectFailure("websocket", `WebSocket upgrade refused: HTTP ${res.statusCode}`));
      raw.destroy();
    });
    ws.once("error", (err: NodeJS.ErrnoException) =>
      reject(new ConnectFailure("websocket", `WebSocket upgrade failed: ${err.code ?? err.message}`)),
    );
    return () => raw.destroy();
  });
}

function closeTracker(clock: Clock) {
  let settle: (c: WireClose) => void = () => {};
  let seen: WireClose | undefined;
  const closed = new Promise<WireClose>((resolve) => {
    settle = resolve;
  });
  return {
    closed,
    note(kind: WireCloseKind, code?: string) {
      if (!seen) seen = { kind, at: clock.now(), code };
    },
    finish() {
      settle(seen ?? { kind: "fin", at: clock.now() });
    },
  };
}

function errKind(err: NodeJS.ErrnoException): WireCloseKind {
  return err.code === "ECONNRESET" || err.code === "EPIPE" ? "rst" : "error";
}

function socketWire(
  stream: net.Socket,
  raw: net.Socket,
  clock: Clock,
  tcpMs: number,
  handshakeMs: number,
): Wire {
  const tracker = closeTracker(clock);
  let local = false;
  stream.on("end", () => {
    tracker.note(local ? "local" : "fin");
    stream.destroy();
  });
  stream.on("error", (err: NodeJS.ErrnoException) => tracker.note(errKind(err), err.code));
  raw.on("error", (err: NodeJS.ErrnoException) => tracker.note(errKind(err), err.code));
  stream.on("close", () => tracker.finish());
  return {
    tcpMs,
    handshakeMs,
    localPort: raw.localPort,
    write: (bytes) => {
      if (!stream.destroyed) stream.write(bytes);
    },
    onData: (listener) => stream.on("data", listener),
    closed: tracker.closed,
    end() {
      local = true;
      stream.end();
    },
    destroy() {
      tracker.note("local");
      stream.destroy();
      raw.destroy();
    },
    reset() {
      tracker.note("local");
      if (raw.destroyed) return;
      raw.resetAndDestroy();
      if (stream !== raw) stream.destroy();
    },
  };
}

function wsWire(ws: WebSocket, raw: net.Socket, clock: Clock, tcpMs: number, handshakeMs: number): Wire {
  const tracker = closeTracker(clock);
  raw.on("error", (err: NodeJS.ErrnoException) => tracker.note(errKind(err), err.code));
  ws.on("error", () => tracker.note("error"));
  ws.on("close", () => {
    tracker.note("fin");
    tracker.finish();
  });
  return {
    tcpMs,
    handshakeMs,
    localPort: raw.localPort,
    write: (bytes) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(bytes);
    },
    onData: (listener) => ws.on("message", (data: Buffer) => listener(data)),
    closed: tracker.closed,
    end() {
      tracker.note("local");
      ws.close();
    },
    destroy() {
      tracker.note("local");
      ws.terminate();
      raw.destroy();
    },
    reset() {
      tracker.note("local");
      if (!raw.destroyed) raw.resetAndDestroy();
      ws.terminate();
    },
  };
}
