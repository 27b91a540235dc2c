import { withEjabberdDialect } from "./ejabberd-dialect.js";
import { withRabbitmqDialect } from "./rabbitmq-dialect.js";
import { withSourceDialects } from "./source-dialects.js";
import type { LineTemplate, Signature, SignatureId } from "./types.js";

/**
 * Every line here is the real broker's wording, from docs/broker-facts.md. Do not reword: users grep for these.
 * NanoMQ version bounds are inclusive.
 */
const NMQ_TIMER = { func: "nano_pipe_timer_cb", file: "nng/src/sp/protocol/mqtt/nmq_mqtt.c:302" } as const;
const NMQ_RECV = {
  func: "tcptran_pipe_recv_cb",
  file: "nng/src/sp/transport/mqtt/broker_tcp.c:731",
} as const;
const NMQ_NEGO = {
  func: "tcptran_pipe_nego_cb",
  file: "nng/src/sp/transport/mqtt/broker_tcp.c:343",
} as const;
const NMQ_DECODE = { func: "nano_msg_decode", file: "nng/src/supplemental/mqtt/mqtt_codec.c:1019" } as const;
const NMQ_PUB = { func: "handle_pub", file: "nanomq/pub_handler.c:1024" } as const;
const NMQ_RETAIN_STORE = { func: "handle_pub_retain", file: "nanomq/pub_handler.c:903" } as const;
const NMQ_RETAIN_DELIVER = { func: "server_cb", file: "nanomq/nanomq.c:466" } as const;
const NMQ_PIPE = { func: "nni_pipe_set_pid", file: "nng/src/core/pipe.c:352" } as const;
const NMQ_CONN = { func: "nano_msg_notify", file: "nng/src/sp/protocol/mqtt/mqtt_parser.c:1370" } as const;
const NMQ_UTF8 = { func: "utf8_check", file: "nng/src/sp/protocol/mqtt/mqtt_parser.c:293" } as const;
const NMQ_SUB = { func: "decode_sub_msg", file: "nanomq/sub_handler.c:90" } as const;

const V0_21_9 = [0, 21, 9] as const;
const V0_21_10 = [0, 21, 10] as const;
const V0_22_3 = [0, 22, 3] as const;
const V0_24_99 = [0, 24, 999] as const;
/**
 * Checked against real builds (test/integration/nanomq/fidelity.test.ts): 0.21.9 and 0.25.3 only. A wording seen in
 * 0.25.3 and not in 0.21.9 starts here, at 0.25.0 — a GUESS: the first version in between that changed it was not
 * built. The same goes for every 0.21.10–0.24.x bound below (taken from docs/broker-facts.md, not from a build).
 */
const V0_25 = [0, 25, 0] as const;

function nanomq(
  key: string,
  level: LineTemplate["level"],
  text: string,
  where: { func: string; file: string },
  extra: Partial<LineTemplate> = {},
): LineTemplate {
  return { key, dialect: "nanomq", level, text, ...where, ...extra };
}
/** mosquitto's lines are NOTICE unless measured otherwise (docs/mosquitto-measured.md, "Log levels"). */
function mosquitto(key: string, text: string, level: LineTemplate["level"] = "NOTICE"): LineTemplate {
  return { key, dialect: "mosquitto", level, text };
}
function spec(key: string, level: LineTemplate["level"], text: string): LineTemplate {
  return { key, dialect: "spec", level, text };
}

const NATIVE: readonly Signature[] = [
  {
    id: "keepalive-timeout",
    title: "KeepAlive timeout kick",
    templates: [
      nanomq("kick", "WARN", "Warning: close pipe & kick client due to KeepAlive timeout!", NMQ_TIMER, {
        until: V0_24_99,
      }),
      nanomq(
        "kick",
        "WARN",
        "Warning: close pipe {pipeId} & kick client due to KeepAlive timeout!",
        NMQ_TIMER,
        { since: V0_25 },
      ),
      mosquitto("kick", "Client {clientId} has exceeded timeout, disconnecting."),
      spec(
        "kick",
        "WARN",
        "client {clientId} kicked: nothing received for {silentMs} ms, limit {limitMs} ms [MQTT-3.1.2-24]",
      ),
    ],
  },
  {
    id: "recv-error",
    title: "Receive error on a pipe (broker closed it, or the peer went away)",
    templates: [nanomq("recv-error", "WARN", "nni aio recv error!! {reason}", NMQ_RECV)],
  },
  {
    id: "parse-error",
    title: "Receive/parse error return value (rv)",
    templates: [
      nanomq("rv", "WARN", "tcptran_pipe_recv_cb: parse error rv: {rv}", NMQ_RECV, { until: V0_21_9 }),
      nanomq("rv", "WARN", "tcptran_pipe_recv_cb: recv_error rv: {rv}", NMQ_RECV, { since: V0_21_10 }),
    ],
  },
  {
    id: "retain-decode-failure",
    title: "Stored retained message could not be decoded",
    templates: [
      // Neither line can be caused over the wire (only a broken stored copy prints them), so the builds' sources
      // were read: 0.21.9 has neither; 0.25.3 has both (the store check for 3.1.1 publishes, pub_handler.c), so the
      // store line has no end (docs/broker-facts.md said 0.23.8). The 0.21.10 and 0.22.3 starts are docs/broker-facts.md's.
      nanomq("store", "WARN", "decode retain msg failed, drop msg", NMQ_RETAIN_STORE, { since: V0_21_10 }),
      nanomq("deliver", "WARN", "decode retain msg failed!", NMQ_RETAIN_DELIVER, { since: V0_22_3 }),
      spec("deliver", "WARN", "retained message on {topic} failed to decode and was dropped"),
    ],
  },
  {
    id: "takeover",
    title: "Client id takeover",
    templates: [
      // File lines carry no function name, so the template is the message alone; 0.21.9 prints no collision line
      // at all (measured), 0.25.3 does (the first version with it is a guess).
      nanomq("collision", "ERROR", "Client ID collision or set ID failed!", NMQ_PIPE, { since: V0_25 }),
      mosquitto("collision", "Client {clientId} already connected, closing old connection.", "ERROR"),
      spec("collision", "INFO", "client {clientId} taken over by a new connection [MQTT-3.1.4-2]"),
    ],
  },
  {
    id: "connect-timeout",
    title: "TCP connection opened but no CONNECT arrived",
    templates: [
      nanomq("nego-timeout", "WARN", "nego aio error: Timed out", NMQ_NEGO),
      // 0.21.9 names the nng error before its number; 0.25.3 prints the number alone, for every nego failure.
      nanomq("nego-rv", "ERROR", "connect nego error rv: Timed out({rv})", NMQ_NEGO, { until: V0_24_99 }),
      nanomq("nego-rv", "ERROR", "connect nego error rv:({rv})", NMQ_NEGO, { since: V0_25 }),
      spec("nego-timeout", "WARN", "connection from {ip}:{port} sent no CONNECT in time, closed"),
    ],
  },
  {
    id: "bad-connect",
    title: "Something other than a valid CONNECT arrived first",
    templates: [
      // {packetType} is the whole first byte in hex (`%x`): "GET …" gives 47.
      nanomq("illegal-connect", "ERROR", "Illegal CONNECT Packet type {packetType}", NMQ_NEGO),
      // 0.21.9: `connect nego error rv: Protocol error(13)` (the generic line below, reason "Protocol error"); ≥ 0.25
      // words it `connect nego error rv:(13)`, the connect-timeout template's text (one text, one signature).
      // A broken remaining length in the CONNECT: 0.25.3 prints this (WARN) and rv:(13); 0.21.9 only its nego rv.
      nanomq("remaining-length", "WARN", "Remaining length parse error", NMQ_NEGO, { since: V0_25 }),
      spec(
        "illegal-connect",
        "WARN",
        "connection from {ip}:{port} did not start with CONNECT, closed [MQTT-3.1.0-1]",
      ),
      // Any other nng error in the old wording (0.21.9: `Unknown error #153(153)` after a broken remaining length).
      nanomq("nego-rv", "ERROR", "connect nego error rv: {reason}({rv})", NMQ_NEGO, { until: V0_24_99 }),
    ],
  },
  {
    id: "malformed-packet",
    title: "Malformed packet or protocol violation, connection closed",
    templates: [
      nanomq("remaining-length", "WARN", "MALFORMED_PACKET received.", NMQ_RECV),
      nanomq("qos", "WARN", "Wrong QoS level!", NMQ_DECODE),
      nanomq("packet-id-0", "WARN", "0 Packet ID in QoS Message!", NMQ_DECODE),
      nanomq("invalid-type", "WARN", "Invalid Packet Type: Connection closed.", NMQ_DECODE, {
        until: V0_24_99,
      }),
      nanomq("invalid-type", "WARN", "Invalid Packet Type: 0 len received! Connection closed.", NMQ_RECV, {
        since: V0_25,
      }),
      // A CONNECT or a CONNACK from a connected client: 0.25.3 closes with these and rv 129; 0.21.9 takes the CONNECT
      // silently and answers the CONNACK with a CONNACK (measured).
      nanomq("invalid-connect", "WARN", "Got invalid CONNECT from client!", NMQ_RECV, { since: V0_25 }),
      nanomq("invalid-connack", "WARN", "Got invalid CONNACK from client!", NMQ_RECV, { since: V0_25 }),
      // Over max_packet_size: 0.21.9 prints this (and rv 149); 0.25.3 has the check commented out and accepts it.
      nanomq("oversize", "ERROR", "Size of packet exceeds limitation: 0x95", NMQ_RECV, { until: V0_24_99 }),
      // 0.21.9: a SUBSCRIBE without a topic filter; the connection stays open (SUBACK 0x80). 0.25.3: no line.
      nanomq("null-string", "ERROR", "NOT utf8-encoded string OR null string.", NMQ_SUB, { until: V0_24_99 }),
      mosquitto("malformed", "Client {clientId} disconnected due to malformed packet."),
      // Measured on mosquitto 2.0.11 with max_packet_size (test/integration/mosquitto-oversize.test.ts).
      mosquitto("oversize", "Client {clientId} disconnected due to oversize packet."),
      // Measured on mosquitto 2.0.11 (INFO, logged just before the "malformed packet" line for a QoS 3 PUBLISH).
      {
        key: "invalid-qos",
        dialect: "mosquitto",
        level: "INFO",
        text: "Invalid QoS in PUBLISH from {clientId}, disconnecting.",
      },
      spec("malformed", "WARN", "client {clientId} sent a malformed packet, closed [MQTT-4.8.0-1]"),
    ],
  },
  {
    id: "protocol-error",
    title: "Protocol error, connection closed",
    templates: [
      mosquitto("protocol", "Client {clientId} disconnected due to protocol error."),
      spec("protocol", "WARN", "client {clientId} violated the protocol, closed [MQTT-4.8.0-1]"),
    ],
  },
  {
    id: "rejected-publish",
    title: "PUBLISH rejected (bad topic), broker closed the pipe",
    templates: [
      nanomq("topic-protocol", "ERROR", "protocol error in topic:[{topic}], len: [{len}]", NMQ_DECODE),
      nanomq("decode-failed", "WARN", "decode message failed.", NMQ_PUB),
      // 0.25.3 checks the topic's UTF-8 first and says so before "Topic is NULL".
      nanomq("utf8-check", "WARN", "UTF-8 check failed!", NMQ_UTF8, { since: V0_25 }),
      nanomq("topic-null", "ERROR", "Topic is NULL", NMQ_PUB),
      // MQTT 5 only, both builds: a topic that is not UTF-8 throws the property parser off (measured).
      nanomq("property-len", "WARN", "Malformed packet: property len > remaining len!", NMQ_DECODE),
    ],
  },
  {
    id: "peer-closed",
    title: "The client closed its connection without DISCONNECT",
    templates: [
      mosquitto("closed", "Client {clientId} closed its connection."),
      // mosquitto 1.x (and 2.0 for other socket errors) words a lost connection this way.
      mosquitto("socket-error", "Socket error on client {clientId}, disconnecting."),
      spec("closed", "INFO", "client {clientId} closed the connection without DISCONNECT"),
    ],
  },
  {
    id: "client-disconnect",
    title: "Clean DISCONNECT",
    templates: [
      mosquitto("received", "Received DISCONNECT from {clientId}", "DEBUG"),
      mosquitto("disconnected", "Client {clientId} disconnected."),
      spec("disconnected", "INFO", "client {clientId} sent DISCONNECT"),
    ],
  },
  {
    id: "client-connected",
    title: "Client connected",
    templates: [
      // WARN in 0.25.3 (so a `warn` log has it); 0.21.9 has no such line at any level.
      nanomq("online", "WARN", "{clientId} online!", NMQ_CONN, { since: V0_25 }),
      // Measured on mosquitto 2.0.11: logged for every accepted TCP connection, before any CONNECT.
      mosquitto("new-connection", "New connection from {ip}:{port} on port {listenerPort}."),
      mosquitto(
        "new-client",
        "New client connected from {ip}:{port} as {clientId} (p{protocol}, c{clean}, k{keepalive}).",
      ),
      spec("connected", "INFO", "client {clientId} connected from {ip}:{port} (keepalive {keepalive} s)"),
    ],
  },
  {
    id: "client-offline",
    title: "Client went offline",
    templates: [nanomq("offline", "WARN", "{clientId} offline!", NMQ_CONN, { since: V0_25 })],
  },
  {
    // Measured on 0.21.9 and 0.25.3: a TCP connection closed before its CONNECT was complete (health checks, port
    // scanners, a client that gave up). The nego rv line is shared with the other nego failures: `rv` says which
    // (rv.ts: negoSignature); mosquitto words it `Client <unknown> closed its connection.` (peer-closed, no client id).
    id: "closed-before-connect",
    title: "TCP connection closed before any CONNECT",
    templates: [
      nanomq("nego-shutdown", "WARN", "nego aio error: Connection shutdown", NMQ_NEGO),
      nanomq("nego-rv", "ERROR", "connect nego error rv: Connection shutdown({rv})", NMQ_NEGO, {
        until: V0_24_99,
      }),
    ],
  },
];

/** Every signature: the lines measured on real brokers, then those built from sources (source-dialects.ts). */
export const CATALOGUE: readonly Signature[] = withRabbitmqDialect(
  withEjabberdDialect(withSourceDialects(NATIVE)),
);

const BY_ID = new Map(CATALOGUE.map((s) => [s.id, s]));

export function signature(id: SignatureId): Signature {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown signature ${id}`);
  return found;
}
