import type { Socket } from "node:net";
import mqtt, { type MqttClient } from "mqtt";
import { mqttTimerVariant } from "../core/clock.js";
import { UnreachableError } from "../core/errors.js";
import { DEFAULT_ANSWER_TIMEOUT_MS } from "./open-raw.js";
import type { ClientContext, ClientRecord } from "./types.js";

/**
 * A well-behaved MQTT.js client whose keepalive runs on the shared clock (`timerVariant`), recording what it
 * saw. MQTT.js pings about 1× keepalive after its last incoming ack/PINGRESP and, with no PINGRESP, gives up on
 * its own at 1.5× ("Keepalive timeout": docs/broker-facts.md, "MQTT.js 5"); that is recorded as `clientTimeoutAt`.
 */
export interface RecordedMqttClient {
  client: MqttClient;
  record: ClientRecord;
  /** Resolves when this connection's socket has closed. */
  closed: Promise<void>;
  /** Client-side clean close (DISCONNECT), or just the socket's end when it is already down. */
  end(): Promise<void>;
}

/** MQTT.js's own CONNACK timeout is a real-time timer: ours runs on the clock, so this one must never fire first. */
const MQTTJS_CONNECT_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Opens one MQTT.js connection recorded into `record` and resolves once it is up (CONNACK) or has failed (closed,
 * or no CONNACK within the answer timeout on the clock). Its first CONNACK sets `connectedAt`, a later
 * connection's goes to `reconnectedAt`; only the first connection to end sets the record's close fields.
 */
export async function openMqttConnection(
  ctx: ClientContext,
  record: ClientRecord,
): Promise<{ connection: RecordedMqttClient; connected: boolean }> {
  const { clock } = ctx;
  const client = mqtt.connect({
    host: ctx.target.host,
    port: ctx.target.port,
    protocol: "mqtt" as const,
    clientId: ctx.clientId,
    keepalive: ctx.keepaliveS,
    protocolVersion: ctx.protocolVersion ?? 4,
    clean: ctx.clean ?? true,
    reconnectPeriod: 0,
    connectTimeout: MQTTJS_CONNECT_TIMEOUT_MS,
    // MQTT.js types its timer ids as numbers; it only hands them back to `clear`, so the clock's handles do.
    timerVariant: mqttTimerVariant(clock),
  });
  let up = false;
  let clientClosing = false;
  let brokerDisconnect: number | undefined;
  /** Whether this connection's end is the record's (the first connection to end). */
  const owns = () => up && record.closedAt === null;
  client.on("packetsend", (p) => {
    const at = clock.now();
    record.lastSentAt = at;
    record.events.push({ at, dir: "out", packet: p.cmd });
  });
  client.on("packetreceive", (p) => {
    record.events.push({ at: clock.now(), dir: "in", packet: p.cmd });
    if (p.cmd === "disconnect") brokerDisconnect = p.reasonCode ?? 0;
  });
  const socket = client.stream as unknown as Socket;
  const markBroker = (kind: "FIN" | "RST") => {
    if (clientClosing || !owns() || record.closedBy !== null) return;
    record.closedBy = "broker";
    record.closeKind = brokerDisconnect !== undefined ? "DISCONNECT" : kind;
    record.reasonCode = brokerDisconnect ?? null;
  };
  socket.on("end", () => markBroker("FIN"));
  socket.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "ECONNRESET" || err.code === "EPIPE") markBroker("RST");
  });
  const closed = new Promise<void>((resolve) => {
    socket.once("close", () => {
      if (owns()) {
        markBroker("FIN");
        record.closedAt = clock.now();
      }
      record.bytesReceived += socket.bytesRead;
      resolve();
    });
  });
  client.on("error", (err) => {
    // MQTT.js destroys its socket, then reports the timeout here (the socket's close comes after).
    if (err.message !== "Keepalive timeout") return;
    const at = clock.now();
    record.clientTimeoutAt ??= at;
    record.notes.clientTimeouts = Number(record.notes.clientTimeouts ?? 0) + 1;
    if (owns() && record.closedBy === null) {
      clientClosing = true;
      record.closedBy = "client";
      record.closeKind = "FIN";
    }
  });
  const answerMs = ctx.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  let timer: ReturnType<typeof clock.setTimeout> | undefined;
  const connected = await new Promise<boolean>((resolve) => {
    client.once("connect", () => resolve(true));
    client.once("close", () => resolve(false));
    timer = clock.setTimeout(() => resolve(false), answerMs);
  });
  clock.clear(timer);
  const connection: RecordedMqttClient = {
    client,
    record,
    closed,
    async end() {
      if (up && !client.disconnected && socket.readyState === "open" && !clientClosing) {
        clientClosing = true;
        if (owns() && record.closedBy === null) {
          record.closedBy = "client";
          record.closeKind = "DISCONNECT";
        }
        await client.endAsync();
      } else {
        client.end(true);
      }
      await closed;
    },
  };
  if (!connected) {
    client.end(true);
    return { connection, connected };
  }
  const at = clock.now();
  up = true;
  if (record.connectedAt === null) record.connectedAt = at;
  else record.reconnectedAt.push(at);
  return { connection, connected };
}

/** The first connection of a client: throws UnreachableError when there is no CONNACK. */
export async function connectMqttClient(
  ctx: ClientContext,
  record: ClientRecord,
): Promise<RecordedMqttClient> {
  const { connection, connected } = await openMqttConnection(ctx, record);
  if (!connected) {
    await connection.closed;
    throw new UnreachableError(`${ctx.target.host}:${ctx.target.port}: no CONNACK for ${ctx.clientId}`);
  }
  return connection;
}
