import { createRequire } from "node:module";
import mqtt from "mqtt";
import type { Availability, RealClient, RealClientExit, RealLibrary } from "./types.js";

const version = (createRequire(import.meta.url)("mqtt/package.json") as { version: string }).version;

/** MQTT.js, in this process (its own timers on real time), MQTT 3.1.1 (or 5), no reconnect. */
export const mqttjs: RealLibrary = {
  id: "mqttjs",
  describe: "MQTT.js (in process, its own keepalive timer)",
  drivenByLoop: false,
  minKeepaliveS: 1,
  detect: async (): Promise<Availability> => ({ available: true, version }),
  async start(o): Promise<RealClient> {
    const client = mqtt.connect({
      host: o.host,
      port: o.port,
      clientId: o.clientId,
      keepalive: o.keepaliveS,
      protocolVersion: o.protocolVersion ?? 4,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    let lost: string | null = null;
    let stopped = false;
    client.on("error", (err) => {
      lost ??= err.message;
    });
    const connected = new Promise<boolean>((resolve) => {
      client.once("connect", () => resolve(true));
      client.once("close", () => resolve(false));
    });
    const exited = new Promise<RealClientExit>((resolve) => {
      client.once("close", () => {
        client.end(true);
        resolve({
          code: stopped ? 0 : 3,
          signal: null,
          lost: stopped ? null : (lost ?? "connection closed"),
        });
      });
    });
    return {
      pid: process.pid,
      connected,
      exited,
      stop() {
        stopped = true;
        client.end(true);
        return exited;
      },
    };
  },
};
