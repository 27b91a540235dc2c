import type { IConnackPacket, IConnectPacket } from "mqtt-packet";
import { keepaliveInForce } from "../../keepalive/server-keepalive.js";
import type { Connection } from "../connection.js";
import { resendOnTick } from "../flow/tick-resend.js";
import { DEFAULT_RECEIVE_MAXIMUM } from "../limits.js";
import { disconnectBytes } from "../profiles/reaction.js";
import { resumeSession } from "../sessions/resume.js";
import { NEVER_EXPIRES_S } from "../sessions/session.js";
import { cancelWill } from "../will-delay.js";

/** 3.1.1 CONNACK return code 2 / 5.0 reason 0x85: client identifier not valid. */
const IDENTIFIER_REJECTED_V4 = 2;
const IDENTIFIER_REJECTED_V5 = 0x85;

/** CONNECT: client id (assigned when empty), takeover of an existing one, CONNACK, then keepalive watching. */
export function handleConnect(conn: Connection, packet: IConnectPacket): void {
  const ctx = conn.ctx;
  conn.protocolVersion = packet.protocolVersion ?? 4;
  conn.clean = packet.clean ?? true;
  conn.requestedKeepaliveS = packet.keepalive ?? 0;
  // [MQTT-3.1.2-21] (5.0) a broker with a Server Keep Alive rule (--server-keepalive / --max-keepalive) overrides it
  const inForce = keepaliveInForce(
    ctx.options.serverKeepalive,
    conn.requestedKeepaliveS,
    conn.protocolVersion,
  );
  conn.keepaliveS = inForce.keepaliveS;
  conn.peerMaximumPacketBytes = packet.properties?.maximumPacketSize;
  conn.peerReceiveMaximum = packet.properties?.receiveMaximum ?? DEFAULT_RECEIVE_MAXIMUM;
  conn.connectedAt = ctx.clock.now();
  conn.peerTopicAliasMaximum = packet.properties?.topicAliasMaximum ?? 0;
  const v5 = conn.protocolVersion === 5;
  let clientId = packet.clientId;
  let assigned = false;
  if (clientId === "") {
    // [MQTT-3.1.3-8] (3.1.1) an empty client id needs clean session; [MQTT-3.1.3-6] the server assigns one
    if (!conn.clean && !v5) {
      conn.send({ cmd: "connack", sessionPresent: false, returnCode: IDENTIFIER_REJECTED_V4 });
      conn.close("malformed");
      return;
    }
    clientId = `mqdiag-auto-${conn.pipeId}`;
    assigned = true;
  }
  if (clientId.length > 65535) {
    conn.send({ cmd: "connack", sessionPresent: false, reasonCode: IDENTIFIER_REJECTED_V5 });
    conn.close("malformed");
    return;
  }
  conn.clientId = clientId;
  conn.will = packet.will;
  conn.willDelayS = v5 ? packet.will?.properties?.willDelayInterval : undefined;

  // [MQTT-3.1.4-2] a second connection with the same client id makes the server close the existing one
  const old = ctx.clients.get(clientId);
  if (old && old !== conn) {
    ctx.log.event({ type: "takeover", old: old.info() }, clientId, old.tid);
    const rc = ctx.profile.takeoverReasonCode;
    old.close("takeover", rc !== null && old.protocolVersion === 5 ? { sendFirst: disconnectBytes(rc) } : {});
  }
  // (3.1.1) clean session 0: the session lives until a clean session 1 CONNECT [MQTT-3.1.2-4]; clean 1: it ends
  // with the connection [MQTT-3.1.2-6]. (5.0) the Session Expiry Interval says how long, absent = 0 (§3.1.2.11.2).
  const expiryS = v5 ? (packet.properties?.sessionExpiryInterval ?? 0) : conn.clean ? 0 : NEVER_EXPIRES_S;
  const opened = ctx.sessions.open(clientId, conn.clean, expiryS);
  cancelWill(ctx, clientId, opened.present); // [MQTT-3.1.3-9] (5.0) a will still waiting out its delay
  conn.session = opened.session;
  // [MQTT-3.2.2-1..3] (3.1.1) / §3.2.2.1.1 (5.0): session present only when a kept session was resumed
  const sessionPresent = opened.present;
  ctx.clients.set(clientId, conn);
  conn.connected = true;
  ctx.clock.clear(conn.connectTimer);
  conn.watch?.stop(); // the no-CONNECT watch, if the profile uses one

  const connack: IConnackPacket = { cmd: "connack", sessionPresent };
  if (v5) {
    connack.reasonCode = 0;
    // Server Keep Alive (0x13) only under a rule: NanoMQ never sends one (its profile refuses the options).
    const serverKeepAlive = inForce.serverKeepAliveS;
    const own = ctx.profile.connackProperties?.(ctx.limits.maxPacketBytes, serverKeepAlive);
    connack.properties = own
      ? { ...own, ...(assigned ? { assignedClientIdentifier: clientId } : {}) }
      : {
          ...(serverKeepAlive !== undefined ? { serverKeepAlive } : {}),
          // §3.2.2.3.3: a Receive Maximum below the default of 65,535 is said (src/broker/flow/inbound-quota.ts)
          ...(ctx.limits.receiveMaximum < DEFAULT_RECEIVE_MAXIMUM
            ? { receiveMaximum: ctx.limits.receiveMaximum }
            : {}),
          wildcardSubscriptionAvailable: true,
          sharedSubscriptionAvailable: true, // src/broker/shared-subscriptions.ts
          subscriptionIdentifiersAvailable: true, // src/broker/overlap.ts
          retainAvailable: true,
          // §3.2.2.3.8: how many client → broker topic aliases it accepts (src/broker/topic-alias.ts)
          topicAliasMaximum: ctx.profile.mqtt5.topicAliasMaximum,
          // (5.0) §3.2.2.3.6: a server with a packet size limit says so (the spec profile; mosquitto doesn't)
          ...(ctx.profile.advertisesMaximumPacketSize
            ? { maximumPacketSize: ctx.limits.maxPacketBytes }
            : {}),
          ...(assigned ? { assignedClientIdentifier: clientId } : {}),
        };
  } else {
    connack.returnCode = 0;
  }
  conn.send(connack);
  if (opened.present) resumeSession(conn);
  // The connect's time, read before the pipe's timer starts: the ticks are never earlier than this time + 1.5 Q,
  // which is what a reader of the trace predicts them from (once 0.3 clock ms later, and a kick looked early).
  const at = ctx.clock.now();
  // NanoMQ: the pipe's one timer, first tick 1.5 Q from now. Opened after the CONNACK is written, as the kick's
  // timer always was here: a stall of this process while writing it must not move the ticks earlier.
  conn.tick = ctx.keepalive.openPipeTick?.();
  if (conn.tick) resendOnTick(conn, conn.tick);

  const keepaliveMs = conn.keepaliveS * 1000;
  ctx.trace({
    type: "connect",
    at,
    clientId,
    keepaliveMs,
    protocolVersion: conn.protocolVersion,
    pipeId: conn.pipeId,
  });
  ctx.log.event({ type: "connected", conn: conn.info() }, clientId, conn.tid);
  // [MQTT-3.1.2-24] (3.1.1) / [MQTT-3.1.2-22] (5.0): the profile's keepalive model decides when to kick
  conn.watch = ctx.keepalive.watch(keepaliveMs, conn, conn.tick);
}
