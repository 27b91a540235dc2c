import { KEEPALIVE_FIXES } from "./keepalive-fixes.js";
import { SPEC } from "./spec-refs.js";
import type { Explanation, SignatureId } from "./types.js";

/** What each catalogue signature means, its causes, checks and fixes. Incident-only kinds: incident-explanations.ts. */
export const SIGNATURE_EXPLANATIONS: Readonly<Record<SignatureId, Explanation>> = {
  "keepalive-timeout": {
    id: "keepalive-timeout",
    title: "KeepAlive timeout kick",
    meaning:
      "The broker received nothing from the client for longer than its keepalive window and closed the connection. In NanoMQ it is followed by `nni aio recv error!! Object closed` and `rv: 139`: one incident, not three. EMQX logs it as `msg: terminate … reason: {shutdown,keepalive_timeout}` at info (hidden at its default level, warning), HiveMQ CE in event.log as `… was disconnected. reason: Client was idle for too long.`, VerneMQ as `client … stopped due to keepalive expired` (those three from the brokers' sources, not run). ejabberd's mod_mqtt logs `Closing MQTT session for <user>@<host>/<client id> from <ip>: Idle connection` at info, round(1.5 × KA) s after the client's last bytes (measured on 23.01). RabbitMQ's MQTT plugin logs `closing MQTT connection \"<client ip:port> -> <listener ip:port>\" (keepalive timeout)` at error, 2× to 3× KA after the client's last bytes (measured on 3.10.8; mqdiag names the client from the connection's accepting line).",
    causes: [
      "the client pings late or not at all (PINGREQ after more than KA × multiplier, or a stalled client thread)",
      "a subscriber-only client that receives traffic but never pings (outbound traffic does not count)",
      "a network path that drops the client's packets (NAT/firewall idle timeout) while the TCP connection looks alive",
      "NanoMQ's tick model: with retry_interval Q the kick comes up to Q after KA × M, earlier than a 1.5 × KA client expects",
    ],
    checks: [
      "the client's keepalive (k in mosquitto's `New client connected … (p2, c1, k60)` line) and how often it really pings",
      "mqtt.keepalive_multiplier and mqtt.retry_interval in nanomq.conf, mqtt.keepalive_multiplier and keepalive_check_interval in emqx.conf, max_keepalive in mosquitto.conf (`mqdiag config <file>` prints the kick window)",
      "whether the kicked clients are subscriber-only or publish rarely",
    ],
    fixes: KEEPALIVE_FIXES,
    specRefs: [SPEC.pingWithinKeepalive, SPEC.kickAfter1_5, SPEC.kickAfter1_5v5, SPEC.serverKeepAlive],
    scenario: "late-ping",
  },
  "recv-error": {
    id: "recv-error",
    title: "Receive error on a pipe",
    meaning:
      "NanoMQ's receive callback saw the pipe end. The reason tells who ended it: `Object closed` = the broker closed it itself (a keepalive kick, a takeover, a PUBLISH it rejected: look at the line before); `Connection shutdown` = the peer went away (TCP RST, FIN without DISCONNECT, half-close). Always followed by `rv: 139`.",
    causes: [
      "Object closed: a keepalive kick, a client id takeover or a rejected PUBLISH just before",
      "Connection shutdown: the client crashed, was killed, reset the connection or closed it without DISCONNECT",
    ],
    checks: [
      "the line just before it (same second): a kick, a collision or a `decode message failed.`",
      "for Connection shutdown: client-side logs, restarts, NAT/load-balancer idle timeouts",
    ],
    fixes: [
      {
        code: "fix-preceding-cause",
        broker: "nanomq",
        change:
          "Object closed: fix the cause named by the line before (see `mqdiag explain keepalive-timeout`, `takeover`, `rejected-publish`)",
      },
      {
        code: "client-send-disconnect",
        broker: "any",
        change:
          "Connection shutdown: make clients send DISCONNECT before closing; look for crashes or network resets",
      },
    ],
    specRefs: [],
    scenario: "tcp-rst",
  },
  "parse-error": {
    id: "parse-error",
    title: "Receive/parse error return value (rv)",
    meaning:
      "`parse error rv: <n>` (≤0.21.9) / `recv_error rv: <n>` (≥0.21.10) is the status the receive callback ended with. rv 139 follows every recv error (keepalive kick, reset, takeover) and is not a parse problem by itself; 129, 130 and 17 follow a malformed packet. Run `mqdiag explain <rv>`.",
    causes: [
      "139: any pipe close (the preceding `nni aio recv error!!` line says which)",
      "129/130/17: the client sent a malformed packet or broke a protocol rule",
    ],
    checks: ["the line before it, on the same thread", "which rv values appear and how often"],
    fixes: [
      {
        code: "fix-incident-not-rv",
        broker: "nanomq",
        change: "fix the incident it ends, not the rv line: see the incident kind mqdiag groups it into",
      },
    ],
    specRefs: [SPEC.malformedClose, SPEC.malformedCloseV5],
    scenario: "tcp-rst",
  },
  "retain-decode-failure": {
    id: "retain-decode-failure",
    title: "Stored retained message could not be decoded",
    meaning:
      "The broker re-decoded its stored copy of a retained PUBLISH and the copy is not a valid packet (`decode retain msg failed, drop msg` when storing, 0.21.10–0.23.8; `decode retain msg failed!` when delivering to a new subscriber, ≥0.22.3). An internal-consistency signal: a well-formed client cannot cause it over the wire; storage corruption can.",
    causes: [
      "a corrupted retained-message store (disk, an interrupted write, a version upgrade)",
      "a broker bug",
    ],
    checks: [
      "which topics' retained messages are missing for new subscribers",
      "the broker's persistence files",
    ],
    fixes: [
      {
        code: "republish-retained",
        broker: "any",
        change: "republish the retained message, or delete it with a zero-length retained PUBLISH",
      },
      {
        code: "nanomq-rebuild-retained-store",
        broker: "nanomq",
        change: "clear or rebuild the retained store; upgrade NanoMQ",
      },
    ],
    specRefs: [],
    scenario: "corrupt-retain",
  },
  takeover: {
    id: "takeover",
    title: "Client id takeover",
    meaning:
      "A second connection arrived with a client id that is already connected; the broker closed the old one (NanoMQ: `Client ID collision or set ID failed!` → `Object closed` → rv 139; mosquitto: `already connected, closing old connection.`; from their sources, not run: EMQX `reason: {shutdown,takenover}` (clean start false) or `{shutdown,discarded}` (clean start true) for the old connection, HiveMQ CE `reason: Another client connected with the same client id.`). ejabberd's mod_mqtt logs the old connection's end only at debug (`…: Replaced by <pid> at <node>`): at its default level, info, a takeover leaves no line; the old MQTT 5 client gets DISCONNECT 0x8E, a 3.1.1 client a plain FIN (measured on 23.01). RabbitMQ 3.10 logs `MQTT disconnecting client \"<conn>\" with duplicate id '<client id>'` at warning for the old connection, which gets a plain FIN (measured on 3.10.8).",
    causes: [
      "two devices or processes share one client id",
      "a client reconnects before the broker noticed its old connection died (half-open TCP)",
      "a reconnect loop with a fixed client id",
    ],
    checks: [
      "which client ids collide, and from which addresses",
      "whether the old connection was still alive",
    ],
    fixes: [
      {
        code: "unique-client-id",
        broker: "any",
        change: "give every client a unique client id; back off reconnects",
      },
    ],
    specRefs: [SPEC.takeover],
    scenario: "session-takeover",
  },
  "connect-timeout": {
    id: "connect-timeout",
    title: "TCP connection opened but no CONNECT arrived",
    meaning:
      "A TCP connection opened and sent no CONNECT in time (NanoMQ: 15 s): `nego aio error: Timed out` + `connect nego error rv:(5)`, one incident.",
    causes: [
      "port scanners and health checks that open TCP only",
      "a TLS client talking to a plain listener (or the reverse)",
      "a client stalled between connect() and CONNECT",
    ],
    checks: [
      "the source addresses (the broker's connection lines, firewall logs)",
      "load-balancer TCP health checks",
    ],
    fixes: [
      {
        code: "health-check-connect",
        broker: "any",
        change:
          "point TCP health checks at a dedicated port, or make them send CONNECT; match TLS/plain listeners",
      },
    ],
    specRefs: [SPEC.connectFirst],
    scenario: "no-connect",
  },
  "closed-before-connect": {
    id: "closed-before-connect",
    title: "TCP connection closed before any CONNECT",
    meaning:
      "A TCP connection opened and closed again before a CONNECT arrived: NanoMQ `nego aio error: Connection shutdown` + `connect nego error rv:(31)` (0.21.9: `rv: Connection shutdown(31)`), mosquitto `Client <unknown> closed its connection.`; one incident. Not a timeout (that is rv 5 after 15 s) and no client was dropped: the connection never became a session. Very common in production logs.",
    causes: [
      "load-balancer or orchestrator TCP health checks (connect, then close)",
      "port scanners and monitoring that only test the port",
      "a client that gave up between connect() and CONNECT (TLS mismatch, a crash, a timeout of its own)",
    ],
    checks: [
      "how regular the incidents are: a fixed period points at a health check",
      "the health-check settings of the load balancer in front of the broker",
    ],
    fixes: [
      {
        code: "health-check-mqtt",
        broker: "any",
        change:
          "nothing, when they are health checks; otherwise make the check speak MQTT (CONNECT/DISCONNECT) or point it at a dedicated port, so real faults stand out",
      },
    ],
    specRefs: [],
    scenario: "no-connect",
  },
  "bad-connect": {
    id: "bad-connect",
    title: "Something other than a valid CONNECT arrived first",
    meaning:
      "The first bytes on a new connection were not a valid CONNECT (`Illegal CONNECT Packet type <n>`, `connect nego error rv: <n>`, a remaining-length error); the broker closed it.",
    causes: [
      "non-MQTT traffic on the MQTT port (HTTP, TLS to a plain listener)",
      "a client bug",
      "MQTT over WebSocket sent to a TCP listener",
    ],
    checks: ["the client's protocol, port and TLS settings"],
    fixes: [
      {
        code: "connect-first",
        broker: "any",
        change: "send CONNECT first; use the right listener (TCP vs WebSocket, TLS vs plain)",
      },
    ],
    specRefs: [SPEC.connectFirst],
    scenario: "malformed-packet",
  },
  "malformed-packet": {
    id: "malformed-packet",
    title: "Malformed packet or protocol violation, connection closed",
    meaning:
      "The client sent a packet the broker could not accept (NanoMQ: the complaint line → rv 17/129/130; mosquitto: `disconnected due to malformed packet.`) and the broker closed the connection, as the spec requires.",
    causes: [
      "`MALFORMED_PACKET received.` → rv 17: a remaining length of 5 bytes",
      "`Wrong QoS level!` → rv 130: PUBLISH with QoS 3",
      "`0 Packet ID in QoS Message!` → rv 130: QoS>0 PUBLISH with packet id 0",
      "`Invalid Packet Type: Connection closed.` → rv 129: zero-length PUBLISH or SUBSCRIBE without a topic filter",
    ],
    checks: ["the client library and version", "a packet capture of the client's traffic"],
    fixes: [
      {
        code: "fix-client",
        broker: "any",
        change: "fix or upgrade the client; `mqdiag scenario malformed-packet` shows each variant's lines",
      },
    ],
    specRefs: [SPEC.malformedClose, SPEC.malformedCloseV5],
    scenario: "malformed-packet",
  },
  "protocol-error": {
    id: "protocol-error",
    title: "Protocol error, connection closed",
    meaning:
      "mosquitto closed a connection for a protocol error: packet type 0, a 5-byte remaining length, non-MQTT bytes instead of CONNECT.",
    causes: ["a client bug", "non-MQTT traffic on the MQTT port"],
    checks: ["the client id (`<unknown>` = before CONNECT)", "a packet capture"],
    fixes: [{ code: "fix-client", broker: "any", change: "fix the client or the traffic reaching the port" }],
    specRefs: [SPEC.malformedClose, SPEC.malformedCloseV5],
    scenario: "malformed-packet",
  },
  "rejected-publish": {
    id: "rejected-publish",
    title: "PUBLISH rejected (bad topic), broker closed the pipe",
    meaning:
      "A PUBLISH had a topic name NanoMQ refuses: a wildcard (`protocol error in topic:[a/+]`, `decode message failed.`) or invalid UTF-8 (`Topic is NULL`); the broker sent DISCONNECT 0x82/0x80 and closed the pipe (`Object closed` → rv 139).",
    causes: [
      "publishing to a topic filter (`+`/`#`) instead of a topic name",
      "topic strings with invalid UTF-8",
    ],
    checks: [
      "the topic in the `protocol error in topic:[…]` line",
      "how the client builds its topic strings",
    ],
    fixes: [
      {
        code: "valid-topic-names",
        broker: "any",
        change: "publish only to topic names without `+`/`#`, encoded as valid UTF-8",
      },
    ],
    specRefs: [SPEC.noWildcardInTopicName, SPEC.utf8],
    scenario: "malformed-packet",
  },
  "peer-closed": {
    id: "peer-closed",
    title: "The client closed its connection without DISCONNECT",
    meaning:
      "mosquitto saw the connection end without a DISCONNECT: a TCP RST or FIN alike (`Client <id> closed its connection.`). The will message is published.",
    causes: [
      "the client crashed or was killed",
      "a network reset",
      "a client that closes its socket without DISCONNECT",
    ],
    checks: ["client-side logs and restarts", "NAT/load-balancer idle timeouts"],
    fixes: [
      {
        code: "client-send-disconnect",
        broker: "any",
        change: "send DISCONNECT before closing; look for crashes and network resets",
      },
    ],
    specRefs: [],
    scenario: "tcp-rst",
  },
  "client-disconnect": {
    id: "client-disconnect",
    title: "Clean DISCONNECT",
    meaning:
      "The client sent DISCONNECT and the broker closed the connection cleanly. Not a fault; no will message.",
    causes: ["the client shut down normally"],
    checks: [],
    fixes: [],
    specRefs: [],
  },
  "client-connected": {
    id: "client-connected",
    title: "Client connected",
    meaning:
      "A client connected (mosquitto names its address, protocol, clean flag and keepalive; NanoMQ: `<id> online!`).",
    causes: [],
    checks: ["the keepalive (`k60`) for keepalive incidents"],
    fixes: [],
    specRefs: [],
  },
  "client-offline": {
    id: "client-offline",
    title: "Client went offline",
    meaning:
      "NanoMQ (newer builds) names the client whose connection just ended; mqdiag uses it to name the clients of incidents.",
    causes: [],
    checks: [],
    fixes: [],
    specRefs: [],
  },
};
