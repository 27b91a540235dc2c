import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MQTT_C_SRC_ENV, type RealLibraryId, realLibrary } from "../../src/clients/real/index.js";
import { runsHere } from "./runs-here.js";

/**
 * The real client libraries for the side-by-side tests. MQTT-C's source comes from $MQDIAG_MQTT_C_SRC, or is
 * unpacked by `../shared/clients/unpack.sh mqtt-c` beside the project (.ci/run sets the variable the same way);
 * the Debian ones (libpaho-mqtt-dev, python3-paho-mqtt, libmosquitto-dev, node-mqtt) are installed by .ci/run. Without one,
 * its tests skip with one line locally and fail under CI.
 */
function projectRoot(): string {
  let dir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function mqttCSource(): void {
  if (process.env[MQTT_C_SRC_ENV]) return;
  const unpack = join(projectRoot(), "..", "shared", "clients", "unpack.sh");
  if (!existsSync(unpack)) return;
  try {
    const out = execFileSync("bash", [unpack, "mqtt-c"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    process.env[MQTT_C_SRC_ENV] = out.trim().split("\n").pop();
  } catch (err) {
    if (process.env.CI) throw new Error(`unpacking MQTT-C failed: ${(err as Error).message}`);
  }
}

/** true when the real `id` runs here; throws under CI when it does not; else one line and false. */
export async function realLibraryAvailable(id: RealLibraryId): Promise<boolean> {
  if (id === "mqtt-c") mqttCSource();
  const a = await realLibrary(id).detect();
  if (a.available) return true;
  return runsHere(`the real ${id} is not available`, "its real-library tests", a.reason);
}
