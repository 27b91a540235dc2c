import net from "node:net";
import mqttPacket from "mqtt-packet";
import type { Clock } from "../src/core/clock.js";

/**
 * A silent raw MQTT 3.1.1 client for the kick-precision bench: one TCP connection that sends one CONNECT (encoded
 * with mqtt-packet) and then nothing. It records, on the given clock, when the CONNACK arrived and when the broker
 * ended the connection (FIN, RST or error, whichever comes first).
 */
export interface SilentClient {
  readonly clientId: string;
  /** Clock ms at which the CONNACK arrived. */
  readonly connackAt: number;
  /** Clock ms at which the broker closed the connection; null while open. */
  closedAt(): number | null;
  /** How it ended: "fin" | "rst" | an error code; null while open. */
  closedHow(): string | null;
  destroy(): void;
}

export function openSilentClient(
  clock: Clock,
  port: number,
  clientId: string,
  keepaliveS: number,
): Promise<SilentClient> {
  const socket = net.connect({ port, host: "127.0.0.1" });
  socket.setNoDelay(true);
  let connackAt: number | null = null;
  let closedAt: number | null = null;
  let closedHow: string | null = null;
  const ended = (how: string) => {
    if (closedAt !== null) return;
    closedAt = clock.now();
    closedHow = how;
  };
  socket.on("end", () => ended("fin"));
  socket.on("error", (err: NodeJS.ErrnoException) =>
    ended(err.code === "ECONNRESET" ? "rst" : (err.code ?? "error")),
  );
  socket.on("close", () => ended("close"));
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  return new Promise<SilentClient>((resolve, reject) => {
    parser.on("packet", (p) => {
      if (p.cmd !== "connack" || connackAt !== null) return;
      connackAt = clock.now();
      resolve({
        clientId,
        connackAt,
        closedAt: () => closedAt,
        closedHow: () => closedHow,
        destroy: () => socket.destroy(),
      });
    });
    socket.on("data", (chunk: Buffer) => {
      if (connackAt === null) parser.parse(chunk);
    });
    socket.once("close", () => {
      if (connackAt === null) reject(new Error(`${clientId}: closed before its CONNACK (${closedHow})`));
    });
    socket.once("connect", () =>
      socket.write(
        mqttPacket.generate({
          cmd: "connect",
          protocolId: "MQTT",
          protocolVersion: 4,
          clean: true,
          clientId,
          keepalive: keepaliveS,
        }),
      ),
    );
  });
}
