/**
 * `npm run build:clients`: builds the real client libraries' idle programs (clients/) into ~/.cache/mqdiag-clients
 * now rather than on first use, and prints which libraries run here and their versions. Exit status 1 when one
 * does not (CI must run them all). MQTT-C's source: $MQDIAG_MQTT_C_SRC.
 */
import { REAL_LIBRARY_IDS, realLibrary } from "../dist/src/clients/real/index.js";

let missing = 0;
for (const id of REAL_LIBRARY_IDS) {
  const a = await realLibrary(id).detect();
  if (a.available) process.stdout.write(`${id} ${a.version}\n`);
  else {
    missing++;
    process.stdout.write(`${id}: not available: ${a.reason}\n`);
  }
}
process.exitCode = missing === 0 ? 0 : 1;
