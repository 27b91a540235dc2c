import type { Socket } from "node:net";
import { join } from "node:path";
import { runCli } from "../../helpers/cli.js";
import { connectBytes, type RawEnd, rawConnect } from "../../helpers/raw-client.js";
import { startTcpdump } from "../../helpers/tcpdump.js";
import { mqttjs, sleep } from "./mqttjs-client.js";

/** One connection of `mqdiag capture --format json`, the members the five-case tests read. */
export interface CaseConnection {
  clientId: string | null;
  ending: string;
  cause: string;
  kick: { timing: string; at: string; earliest: string | null } | null;
  brokerLog: { kind: string; by: string }[];
}

export interface FiveCases {
  /** `mqdiag capture`'s exit status and connections. */
  code: number | null;
  connections: CaseConnection[];
  /** How the silent client's connection ended, as it saw it. */
  silentEnd: RawEnd | undefined;
}

/**
 * Five hand-driven cases at once against a real broker under `tcpdump -i lo`, then `mqdiag capture <file>
 * ...captureArgs --format json` on the capture: `healthy` (MQTT.js, keepalive 5, DISCONNECT after 2 s), `silent`
 * (a raw CONNECT at keepalive 1, never a PINGREQ), `resetter` (MQTT.js, a TCP RST after 0.5 s), `twin` (MQTT.js,
 * then a raw CONNECT of the same id), `garbler` (a 5-byte remaining length after CONNECT).
 */
export async function captureFiveCases(
  dir: string,
  broker: { url: string; port: number },
  captureArgs: string[],
): Promise<FiveCases> {
  const poke = async () => (await rawConnect(broker.port)).destroy();
  const file = join(dir, "lo.pcap");
  const capture = await startTcpdump("lo", file, `tcp port ${broker.port}`, { poke });
  let silentEnd: RawEnd | undefined;
  try {
    await Promise.all([
      (async () => {
        const c = await mqttjs(broker.url, "healthy", 5);
        await sleep(2000);
        await c.endAsync();
      })(),
      (async () => {
        const raw = await rawConnect(broker.port);
        raw.send(connectBytes({ clientId: "silent", keepalive: 1 }));
        silentEnd = await raw.waitForEnd(9000);
        raw.destroy();
      })(),
      (async () => {
        const c = await mqttjs(broker.url, "resetter", 10);
        await sleep(500);
        (c.stream as Socket).resetAndDestroy();
        c.end(true);
      })(),
      (async () => {
        const first = await mqttjs(broker.url, "twin", 10);
        first.on("error", () => {});
        await sleep(700);
        const second = await rawConnect(broker.port);
        second.send(connectBytes({ clientId: "twin", keepalive: 10 }));
        await sleep(1500);
        first.end(true);
        second.destroy();
      })(),
      (async () => {
        const raw = await rawConnect(broker.port);
        raw.send(connectBytes({ clientId: "garbler", keepalive: 10 }));
        await raw.waitForBytes(4, 3000);
        raw.send(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]));
        await raw.waitForEnd(3000);
        raw.destroy();
      })(),
    ]);
    await sleep(300);
  } finally {
    await capture.stop();
  }
  const r = await runCli(["capture", file, ...captureArgs, "--format", "json"]);
  const connections = (JSON.parse(r.stdout) as { connections: CaseConnection[] }).connections;
  return { code: r.code, connections, silentEnd };
}
