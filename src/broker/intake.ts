import type { Frame } from "../mqtt-wire/frame-reader.js";
import type { Connection } from "./connection.js";
import { dispatch } from "./dispatch.js";
import { handleConnect } from "./handlers/connect.js";
import { decodeFrame, parseFrame } from "./wire/decode.js";
import type { Violation } from "./wire/violation.js";

const CONNECT_BYTE = 0x10;

/**
 * Feeds received bytes through the framing and on to the handlers, one complete frame at a time. An unexpected
 * exception is a bug of the embedded broker, never broker behaviour: it is counted, traced with its message, and
 * closes only this connection, without any dialect line (mqdiag's output is "which lines the broker prints", so a
 * bug must not become a fake signature). The scenario and `mqdiag broker` runs fail on it (exit 70).
 */
export function receive(conn: Connection, chunk: Buffer): void {
  if (conn.isClosed) return; // what a closing connection still receives is dropped
  try {
    conn.reader.push(chunk);
    while (!conn.isClosed) {
      if (!conn.connected) {
        const first = conn.reader.peekFirstByte();
        if (first === undefined) return;
        // [MQTT-3.1.0-1] the first packet from the client must be CONNECT
        if (first !== CONNECT_BYTE) {
          violate(conn, { kind: "garbage-before-connect", packetType: first });
          return;
        }
      }
      const read = conn.reader.next();
      if (read.kind === "need-more") return;
      if (read.kind === "overflow") {
        const first = conn.reader.peekFirstByte() ?? 0;
        violate(conn, { kind: "remaining-length-overflow", packetType: first >> 4 });
        // The stream cannot be re-synchronised after a broken length, whatever the profile says.
        conn.close("malformed");
        return;
      }
      if (read.kind === "too-large") {
        // Refused as soon as its length is read: the body is never buffered, whatever the profile says.
        violate(conn, {
          kind: "packet-too-large",
          packetType: (conn.reader.peekFirstByte() ?? 0) >> 4,
          unreadBytes: conn.reader.buffered() - read.headerBytes,
        });
        conn.close("malformed");
        return;
      }
      frame(conn, read.frame);
    }
  } catch (err) {
    const ctx = conn.ctx;
    ctx.stats.internalErrors++;
    const message = err instanceof Error ? err.message : String(err);
    ctx.trace({ type: "internal-error", at: ctx.clock.now(), clientId: conn.clientId, message });
    conn.close("internal-error");
  }
}

function frame(conn: Connection, f: Frame): void {
  const ctx = conn.ctx;
  if (!conn.connected) {
    const decoded = parseFrame(f, 4);
    if (!decoded.ok || decoded.packet.cmd !== "connect") {
      violate(conn, { kind: "garbage-before-connect", packetType: f.bytes[0] ?? 0 });
      return;
    }
    ctx.trace({ type: "packet-in", at: ctx.clock.now(), clientId: null, packet: "connect" });
    handleConnect(conn, decoded.packet);
    return;
  }
  conn.watch?.touch();
  if (conn.isClosed) return; // a tick due before it kicked the client (src/broker/keepalive/pipe-tick.ts)
  const decoded = decodeFrame(f, conn.protocolVersion);
  ctx.trace({
    type: "packet-in",
    at: ctx.clock.now(),
    clientId: conn.clientId,
    packet: decoded.ok ? decoded.packet.cmd : `invalid:${decoded.violation.kind}`,
  });
  if (decoded.ok) dispatch(conn, decoded.packet);
  else violate(conn, decoded.violation);
}

/** Applies the profile's reaction to a violation. */
export function violate(conn: Connection, violation: Violation): void {
  const ctx = conn.ctx;
  ctx.stats.violations++;
  const reaction = ctx.profile.react(violation, {
    clientId: conn.clientId,
    protocolVersion: conn.protocolVersion,
    ip: conn.ip,
    port: conn.port,
  });
  if (reaction.action === "ignore") return;
  if (reaction.action === "reply") {
    if (reaction.entries) ctx.log.write(reaction.entries, conn.clientId, conn.tid);
    conn.sendRaw(reaction.reply, "reply");
    return;
  }
  ctx.log.write(reaction.entries, conn.clientId, conn.tid);
  conn.close(reaction.cause, { rv: reaction.rv, sendFirst: reaction.sendFirst, reset: reaction.reset });
}
