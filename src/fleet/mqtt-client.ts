import type { Socket } from "node:net";
import mqtt, { type MqttClient } from "mqtt";
import { mqttTimerVariant } from "../core/clock.js";
import { UnreachableError } from "../core/errors.js";
import type { ClientContext, ClientRecord } from "./types.js";

/**
 * A well-behaved MQTT.js client whose keepalive runs on the shared clock (`timerVariant`), recording what it
 * saw. MQTT.js pings about 1× keepalive after its last incoming ack/PINGRESP (signatures.md, "MQTT.js 5").
 */
export interface RecordedMqttClient {
  client: MqttClient;
  record: ClientRecord;
  closed: Promise<void>;
  /** Client-side clean close (DISCONNECT). */
  end(): Promise<void>;
}

export async function connectMqttClient(
  ctx: ClientContext,
  record: ClientRecord,
): Promise<RecordedMqttClient> {
  const { clock } = ctx;
  const client = mqtt.connect({
    host: ctx.target.host,
    port: ctx.target.port,
    protocol: "mqtt" as const,
    clientId: ctx.clientId,
    keepalive: ctx.keepaliveS,
    protocolVersion: ctx.protocolVersion ?? 4,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    // MQTT.js types its timer ids as numbers; it only hands them back to `clear`, so the clock's handles do.
    timerVariant: mqttTimerVariant(clock),
  });
  let clientClosing = false;
  let brokerDisconnect: number | undefined;
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
    if (clientClosing || record.closedBy !== null) return;
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
      if (record.connectedAt !== null) {
        markBroker("FIN");
        record.closedAt ??= clock.now();
      }
      record.bytesReceived = socket.bytesRead;
      resolve();
    });
  });
  client.on("error", () => {
    // Recorded through the socket; MQTT.js also reports "Keepalive timeout" here for a silent broker.
  });
  const connected = await new Promise<boolean>((resolve) => {
    client.once("connect", () => resolve(true));
    client.once("close", () => resolve(false));
  });
  if (!connected) {
    client.end(true);
    throw new UnreachableError(`${ctx.target.host}:${ctx.target.port}: no CONNACK for ${ctx.clientId}`);
  }
  record.connectedAt = clock.now();
  return {
    client,
    record,
    closed,
    async end() {
      if (record.closedBy === null && !client.disconnected) {
        clientClosing = true;
        record.closedBy = "client";
        record.closeKind = "DISCONNECT";
        await client.endAsync();
      } else {
        client.end(true);
      }
      await closed;
    },
  };
}
