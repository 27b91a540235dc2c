import { mkdtemp, rm } from "node:fs/promises";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { type Nanomq, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";
import { connectBytes, type RawEnd, rawConnect } from "../../helpers/raw-client.js";
import { startTcpdump, type Tcpdump, tcpdumpAvailable } from "../../helpers/tcpdump.js";

/**
 * The real NanoMQ 0.25.3 (Q 1 s, M 1.25, log level info) under tcpdump -i lo: `mqdiag capture --retry-interval 1s
 * --broker-log` on the capture must give each case the verdict the clients saw, the kick on NanoMQ's tick, and join
 * NanoMQ's lines to the same connections (its info-level `pipe close!` lines name the clients).
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
  kick: { timing: string; at: string; earliest: string | null } | null;
  brokerLog: { kind: string; by: string }[];
}

const runs = tcpdumpAvailable() && nanomqAvailable("0.25.3");

describe.runIf(runs)(
  "mqdiag capture on a real tcpdump capture of the real NanoMQ 0.25.3, with its log",
  () => {
    let dir: string;
    let broker: Nanomq;
    let capture: Tcpdump | undefined;
    let connections: Connection[] = [];
    let code: number | null = null;
    let silentEnd: RawEnd | undefined;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "mqdiag-tcpdump-mosquitto-"));
      broker = await startNanomq("0.25.3", { retryIntervalS: 1, multiplier: 1.25, level: "info" });
      const poke = async () => (await rawConnect(broker.port)).destroy();
      capture = await startTcpdump("lo", join(dir, "lo.pcap"), `tcp port ${broker.port}`, { poke });
      await Promise.all([
        (async () => {
          const c = await mqttjs(broker.url, "healthy", 5);
          await sleep(2000);
          await c.endAsync();
        })(),
        (async () => {
          // silent at keepalive 1: NanoMQ's tick model kicks it 1.5 + 2 × 1 = 3.5 s after CONNECT
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
        "--retry-interval",
        "1s",
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

    it("each case's verdict, the kick on NanoMQ's tick, and its info lines joined by client id", () => {
      expect(code).toBe(1);
      expect(of("healthy")).toMatchObject([{ ending: "client-disconnect", cause: "none" }]);
      expect(silentEnd?.kind).toBe("fin");
      const [silent] = of("silent");
      expect(silent).toMatchObject({
        ending: "kicked",
        cause: "client-late",
        brokerLog: [{ kind: "keepalive-timeout", by: "client-id" }],
      });
      // the model's instant; NanoMQ's timers may fire late on a loaded machine (never early: it counts ticks)
      const lateMs = Date.parse(silent?.kick?.at ?? "") - Date.parse(silent?.kick?.earliest ?? "");
      expect(lateMs).toBeGreaterThan(-50);
      expect(lateMs).toBeLessThan(1000);
      expect(of("resetter")).toMatchObject([{ ending: "client-reset", cause: "none" }]);
      expect(of("twin")[0]).toMatchObject({ ending: "takeover", cause: "duplicate-client-id" });
      expect(of("garbler")).toMatchObject([{ ending: "malformed", cause: "malformed" }]);
    });
  },
);
