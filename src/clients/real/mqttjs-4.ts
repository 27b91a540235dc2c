import { firstLine } from "./c-library.js";
import { childClient } from "./child-client.js";
import { projectFile } from "./project-file.js";
import type { Availability, RealLibrary } from "./types.js";

/** Where MQTT.js 4 is: $MQDIAG_MQTTJS4, else Debian's node-mqtt (/usr/share/nodejs/mqtt, its dependencies beside). */
export const MQTTJS4_ENV = "MQDIAG_MQTTJS4";
const env = (): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_PATH: [process.env.NODE_PATH, "/usr/share/nodejs"].filter(Boolean).join(":"),
});
const script = () => projectFile("clients/mqttjs-4/idle.cjs");

let detected: Promise<Availability> | undefined;

/** MQTT.js 4 (Debian's node-mqtt 4.3.7-2, which says 4.3.6): clients/mqttjs-4/idle.cjs in a node of its own. */
export const mqttjs4: RealLibrary = {
  id: "mqttjs-4",
  describe: "MQTT.js 4 (clients/mqttjs-4/idle.cjs, a node process of its own, its own keepalive timer)",
  drivenByLoop: false,
  minKeepaliveS: 1,
  detect() {
    // the version is its package.json's: no NODE_PATH needed for that
    detected ??= firstLine(process.execPath, [script(), "--version"]).then(
      (version): Availability => ({ available: true, version }),
      (err: Error): Availability => ({
        available: false,
        reason: `MQTT.js 4 not found: ${err.message} (install node-mqtt, or set ${MQTTJS4_ENV} to its folder)`,
      }),
    );
    return detected;
  },
  async start(o) {
    const a = await this.detect();
    if (!a.available) throw new Error(`mqttjs-4 is not available here: ${a.reason}`);
    const args = [
      o.host,
      String(o.port),
      o.clientId,
      String(o.keepaliveS),
      "0",
      String(o.protocolVersion ?? 4),
    ];
    return childClient(process.execPath, [script(), ...args], env());
  },
};
