import net from "node:net";
import mqttPacket from "mqtt-packet";
import { type Clock, realClock } from "../core/clock.js";
import { errorMessage, UnreachableError } from "../core/errors.js";
import type { FleetTarget } from "../fleet/types.js";

/**
 * The client id of the reachability check. A real CONNECT/DISCONNECT under a recognisable id, because a bare TCP
 * open/close is not harmless: NanoMQ logs it as `nego aio error: Connection shutdown` + `connect nego error rv:(31)`
 * and mosquitto as `Client <unknown> closed its connection.`, lines a reader would take for a fault. This way the
 * broker logs at most a clean connect/disconnect of `mqdiag-reachability`, a client no scenario owns.
 */
export const REACHABILITY_CLIENT_ID = "mqdiag-reachability";

const CONNECT = mqttPacket.generate({
  cmd: "connect",
  protocolId: "MQTT",
  protocolVersion: 4,
  clean: true,
  keepalive: 30,
  clientId: REACHABILITY_CLIENT_ID,
});
const DISCONNECT = mqttPacket.generate({ cmd: "disconnect" });
const CONNACK = 0x20;
const REFUSED: Record<number, string> = {
  1: "unacceptable protocol version",
  2: "identifier rejected",
  3: "server unavailable",
  4: "bad user name or password",
  5: "not authorized",
};

/**
 * Resolves once the broker accepted a CONNECT and closed the connection after our DISCONNECT (so its lines about
 * it are written before the first scenario's log tail starts); UnreachableError (exit 3) when nothing answers,
 * something other than an MQTT broker answers, or the CONNECT is refused.
 */
export function checkReachable(
  target: FleetTarget,
  timeoutMs = 5000,
  clock: Clock = realClock(),
): Promise<void> {
  const where = `${target.host}:${target.port}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port });
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clock.clear(timer);
      socket.destroy();
      if (err) reject(new UnreachableError(`${where}: ${errorMessage(err)}`));
      else resolve();
    };
    const timer = clock.setTimeout(
      () => finish(accepted ? undefined : new Error("no CONNACK (timed out)")),
      timeoutMs,
    );
    let received = Buffer.alloc(0);
    let accepted = false;
    socket.on("error", (err) => finish(accepted ? undefined : err));
    socket.once("connect", () => socket.write(CONNECT));
    socket.on("data", (chunk: Buffer) => {
      if (accepted) return;
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      if (received[0] !== CONNACK || received[1] !== 2)
        return finish(new Error("it answered CONNECT, but not as an MQTT 3.1.1 broker"));
      const code = received[3] ?? 0;
      if (code !== 0) return finish(new Error(`CONNACK refused: ${REFUSED[code] ?? `code ${code}`}`));
      accepted = true;
      socket.end(DISCONNECT);
    });
    socket.once("close", () =>
      finish(accepted ? undefined : new Error("the connection closed before a CONNACK")),
    );
  });
}
