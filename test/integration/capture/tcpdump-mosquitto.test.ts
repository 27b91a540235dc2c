import { mkdtemp, rm } from "node:fs/promises";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../../helpers/mosquitto.js";
import { connectBytes, type RawEnd, rawConnect } from "../../helpers/raw-client.js";
import { startTcpdump, type Tcpdump, tcpdumpAvailable } from "../../helpers/tcpdump.js";

/**
 * The real mosquitto 2.0 under tcpdump -i lo: `mqdiag capture --profile mosquitto --broker-log` on the capture
 * must give each case the verdict the clients saw, and join mosquitto's own lines (which name every client) to
 * the same connections.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function mqttjs(url: string, clientId: string, keepalive: number): Promise<MqttClient> {
  const client = mqtt.connect(url, { clientId, keepalive, reconnectPeriod: 0, protocolVersion: 4 });
  return new Promise((resolve, reject) => {
    client.once("connect", () => resolve(client));
    client.once("error", reject);
  });
}

interface Connection {
  clientId: string | null;
  ending: string;
  cause: string;
  kick: { timing: string } | null;
  brokerLog: { kind: string; by: string }[];
}

const runs = tcpdumpAvailable() && mosquittoAvailable();

describe.runIf(runs)("mqdiag capture on a real tcpdump capture of the real mosquitto, with its log", () => {
  let dir: string;
  let broker: Mosquitto;
  let capture: Tcpdump | undefined;
  let connections: Connection[] = [];
  let code: number | null = null;
  let silentEnd: RawEnd | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mqdiag-tcpdump-mosquitto-"));
    broker = await startMosquitto();
    const poke = async () => (await rawConnect(broker.port)).destroy();
    capture = await startTcpdump("lo", join(dir, "lo.pcap"), `tcp port ${broker.port}`, { poke });
    await Promise.all([
      (async () => {
        const c = await mqttjs(broker.url, "healthy", 5);
        await sleep(2000);
        await c.endAsync();
      })(),
      (async () => {
        // silent at keepalive 1: mosquitto kicks it in (1, 7] s (its sweep every ~6 s at whole seconds)
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
    await capture.stop();
    const r = await runCli([
      "capture",
      join(dir, "lo.pcap"),
      "--profile",
      "mosquitto",
      "--broker-log",
      broker.logPath,
      "--format",
      "json",
    ]);
    code = r.code;
    connections = (JSON.parse(r.stdout) as { connections: Connection[] }).connections;
  }, 40_000);

  afterAll(async () => {
    await capture?.stop();
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const of = (id: string) => connections.filter((c) => c.clientId === id);

  it("each case's verdict, and mosquitto's lines joined by client id", () => {
    expect(code).toBe(1);
    expect(of("healthy")).toMatchObject([{ ending: "client-disconnect", cause: "none" }]);
    expect(silentEnd?.kind).toBe("fin");
    expect(of("silent")).toMatchObject([
      {
        ending: "kicked",
        cause: "client-late",
        kick: { timing: "on-time" },
        brokerLog: [{ kind: "keepalive-timeout", by: "client-id" }],
      },
    ]);
    expect(of("resetter")).toMatchObject([{ ending: "client-reset", cause: "none" }]);
    expect(of("resetter")[0]?.brokerLog).toMatchObject([{ kind: "peer-gone", by: "client-id" }]);
    expect(of("twin")[0]).toMatchObject({
      ending: "takeover",
      cause: "duplicate-client-id",
      brokerLog: [{ kind: "takeover", by: "client-id" }],
    });
    expect(of("garbler")).toMatchObject([{ ending: "malformed", cause: "malformed" }]);
  });
});
