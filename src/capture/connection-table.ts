import { CaptureConnection } from "./connection.js";
import type { PacketRef } from "./tcp-direction.js";
import type { TcpSegment } from "./tcp-segment.js";
import type { ConnectionTimeline, Endpoint, RoleEvidence, Transport } from "./timeline.js";

export interface TableOptions {
  /** Ports whose connections are read as MQTT whatever their first bytes (default 1883). */
  ports: readonly number[];
  /** Ports whose connections are read as TLS: packet timing only (default 8883). */
  tlsPorts: readonly number[];
}

/** A connection on no known port whose first bytes were not a CONNECT: not ours, remembered until it closes. */
const IGNORED = "ignored";
const MAX_CLOSED_KEPT = 10_000;

/**
 * Every TCP connection of the capture, keyed by its two ends: which are MQTT (a known port, or a CONNECT as the
 * client's first bytes — that port is then known too), which are TLS, which end is the client, and takeovers
 * (a CONNECT with the client id of a connection still open). Finished connections leave the table as timelines.
 */
export class ConnectionTable {
  private readonly open = new Map<string, CaptureConnection | typeof IGNORED>();
  /** The newest open connection per broker endpoint and client id: a takeover happens within one broker. */
  private readonly byClientId = new Map<string, CaptureConnection>();
  private readonly ports: Set<number>;
  private readonly tlsPorts: Set<number>;
  private readonly done: ConnectionTimeline[] = [];
  /** Connections just closed (TIME_WAIT): their last ACKs and RSTs must not open a new one. Bounded, oldest out. */
  private readonly closed = new Set<string>();
  private nextId = 1;
  otherConnections = 0;

  constructor(options: TableOptions) {
    this.ports = new Set(options.ports);
    this.tlsPorts = new Set(options.tlsPorts);
  }

  segment(s: TcpSegment): void {
    const key = keyOf(s);
    let conn = this.open.get(key);
    if (conn === IGNORED) {
      if (s.rst || s.fin) this.open.delete(key);
      return;
    }
    if (conn?.isEnded()) {
      this.close(key, conn);
      conn = undefined;
    }
    if (!conn && !s.syn && this.closed.has(key)) return;
    if (!conn) {
      const created = this.create(s);
      if (!created) {
        if (s.syn) this.open.set(key, IGNORED);
        return;
      }
      conn = created;
      this.open.set(key, conn);
    }
    if (conn.timeline.roles === "syn" && conn.undecided && s.payloadLength > 0 && !this.decide(conn, s)) {
      this.open.set(key, IGNORED);
      this.otherConnections++;
      return;
    }
    conn.segment(s);
    if (conn.isEnded()) this.close(key, conn);
  }

  /** Ends the capture: every connection still open is reported as such. */
  finish(last: PacketRef): ConnectionTimeline[] {
    for (const [key, conn] of this.open) {
      if (conn === IGNORED) continue;
      conn.end(last);
      this.close(key, conn);
    }
    return this.done.sort((a, b) => a.id - b.id);
  }

  private create(s: TcpSegment): CaptureConnection | undefined {
    const src: Endpoint = { addr: s.srcAddr, port: s.srcPort };
    const dst: Endpoint = { addr: s.dstAddr, port: s.dstPort };
    let client: Endpoint;
    let broker: Endpoint;
    let roles: RoleEvidence;
    if (s.syn) {
      [client, broker] = s.ackFlag ? [dst, src] : [src, dst];
      roles = "syn";
    } else if (this.known(s.dstPort)) {
      [client, broker, roles] = [src, dst, "port"];
    } else if (this.known(s.srcPort)) {
      [client, broker, roles] = [dst, src, "port"];
    } else if (s.payloadLength > 0 && looksLikeConnect(s.payload)) {
      [client, broker, roles] = [src, dst, "connect"];
      this.ports.add(s.dstPort);
    } else {
      return undefined;
    }
    const transport: Transport = this.tlsPorts.has(broker.port) ? "tls" : "mqtt";
    const conn = new CaptureConnection(
      this.nextId++,
      client,
      broker,
      roles,
      transport,
      { packet: s.packet, timeMs: s.timeMs },
      (c, id) => this.connected(c, id),
    );
    conn.undecided = roles === "syn" && !this.known(broker.port);
    return conn;
  }

  /**
   * A connection seen from its SYN on a port not (yet) known: MQTT if the client's first bytes are a CONNECT,
   * TLS if they are a TLS handshake on a TLS port; anything else is not ours.
   */
  private decide(conn: CaptureConnection, s: TcpSegment): boolean {
    conn.undecided = false;
    if (!conn.fromClient(s)) return false;
    if (looksLikeConnect(s.payload)) {
      this.ports.add(conn.timeline.broker.port);
      return true;
    }
    return false;
  }

  private known(port: number): boolean {
    return this.ports.has(port) || this.tlsPorts.has(port);
  }

  private connected(conn: CaptureConnection, clientId: string): void {
    if (clientId === "") return; // each empty id gets its own, server-assigned id: no takeover
    const session = sessionKey(conn.timeline, clientId);
    const previous = this.byClientId.get(session);
    const at = conn.timeline.connect?.at;
    if (previous && previous !== conn && !previous.isEnded() && at) {
      previous.timeline.takenOverBy ??= { connection: conn.timeline.id, at };
      conn.timeline.tookOver = previous.timeline.id;
    }
    this.byClientId.set(session, conn);
  }

  private close(key: string, conn: CaptureConnection): void {
    this.open.delete(key);
    this.closed.add(key);
    if (this.closed.size > MAX_CLOSED_KEPT) this.closed.delete(this.closed.values().next().value as string);
    if (conn.undecided) {
      this.otherConnections++; // closed before either side sent a byte: nothing says it was MQTT
      return;
    }
    const id = conn.timeline.connect?.clientId;
    const session = id === undefined ? undefined : sessionKey(conn.timeline, id);
    if (session !== undefined && this.byClientId.get(session) === conn) this.byClientId.delete(session);
    this.done.push(conn.timeline);
  }
}

/**
 * A client id is one session per broker: the same id on another broker endpoint (another broker on this host, say)
 * takes nothing over. One broker's listeners on several ports are not tied together here.
 */
function sessionKey(t: ConnectionTimeline, clientId: string): string {
  return `${t.broker.addr}|${t.broker.port}|${clientId}`;
}

function keyOf(s: TcpSegment): string {
  const a = `${s.srcAddr}|${s.srcPort}`;
  const b = `${s.dstAddr}|${s.dstPort}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** A CONNECT's first bytes: type 1, a remaining length, then the protocol name "MQTT" (3.1.1, 5) or "MQIsdp" (3.1). */
export function looksLikeConnect(payload: Buffer): boolean {
  if (payload[0] !== 0x10) return false;
  let at = 1;
  while (at < 5 && ((payload[at] ?? 0) & 0x80) !== 0) at++;
  at++;
  const name = payload.subarray(at, at + 8).toString("latin1");
  return name.startsWith("\u0000\u0004MQTT") || name.startsWith("\u0000\u0006MQIsdp");
}
