import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { programLibrary } from "./c-library.js";
import { projectFile } from "./project-file.js";

/** Where MQTT-C's source is (a folder with src/mqtt.c, include/mqtt.h and examples/templates/posix_sockets.h). */
export const MQTT_C_SRC_ENV = "MQDIAG_MQTT_C_SRC";

const FILES = ["src/mqtt.c", "src/mqtt_pal.c", "include/mqtt.h", "examples/templates/posix_sockets.h"];

/**
 * MQTT-C's version: from its folder's name (mqtt-c-1.1.6) when it says one, else from its ping rule — 1.1.6
 * pings once more than KA seconds passed since its last send; up to 1.1.5 it pinged at 0.75·KA.
 */
function versionOf(src: string): string {
  const named = /mqtt-c-(\d+\.\d+\.\d+)/i.exec(basename(src))?.[1];
  if (named) return named;
  const code = readFileSync(join(src, "src/mqtt.c"), "utf8");
  return /keep_alive\)\s*\*\s*0\.75/.test(code) ? "≤ 1.1.5" : "≥ 1.1.6";
}

/** MQTT-C: clients/mqtt-c/idle.c, calling mqtt_sync every loop interval, built against $MQDIAG_MQTT_C_SRC. */
export const mqttC = programLibrary({
  id: "mqtt-c",
  describe: "MQTT-C (clients/mqtt-c/idle.c, mqtt_sync every loop interval)",
  drivenByLoop: true,
  minKeepaliveS: 1,
  hint: `set ${MQTT_C_SRC_ENV} to the MQTT-C 1.1.6 source tree, from github.com/LiamBindle/MQTT-C`,
  program() {
    const src = process.env[MQTT_C_SRC_ENV];
    if (!src) return { reason: `MQTT-C's source is not given` };
    const missing = FILES.find((f) => !existsSync(join(src, f)));
    if (missing) return { reason: `${join(src, missing)} not found` };
    return {
      name: `mqtt-c-${versionOf(src).replace(/[^\w.]/g, "")}-idle`,
      sources: [projectFile("clients/mqtt-c/idle.c"), join(src, "src/mqtt.c"), join(src, "src/mqtt_pal.c")],
      includeDirs: [join(src, "include"), join(src, "examples/templates")],
      libs: ["-lpthread"],
    };
  },
  async version() {
    return versionOf(process.env[MQTT_C_SRC_ENV] ?? "");
  },
});
