import { firstLine } from "./c-library.js";
import { childClient, programArgs } from "./child-client.js";
import { projectFile } from "./project-file.js";
import type { Availability, RealLibrary } from "./types.js";

/** The Python that has paho-mqtt: $MQDIAG_PYTHON, else Debian's /usr/bin/python3 (python3-paho-mqtt). */
export const PYTHON_ENV = "MQDIAG_PYTHON";
const python = () => process.env[PYTHON_ENV] || "/usr/bin/python3";
const script = () => projectFile("clients/paho-python/idle.py");

let detected: Promise<Availability> | undefined;

/** Eclipse Paho Python: clients/paho-python/idle.py, calling client.loop(loop interval) as loop_forever does. */
export const pahoPython: RealLibrary = {
  id: "paho-python",
  describe: "Paho Python (clients/paho-python/idle.py, client.loop every loop interval)",
  drivenByLoop: true,
  minKeepaliveS: 1,
  detect() {
    detected ??= firstLine(python(), [script(), "--version"]).then(
      (version): Availability => ({ available: true, version }),
      (err: Error): Availability => ({
        available: false,
        reason: `${python()} cannot run paho-mqtt: ${err.message} (install python3-paho-mqtt, or set ${PYTHON_ENV})`,
      }),
    );
    return detected;
  },
  async start(o) {
    const a = await this.detect();
    if (!a.available) throw new Error(`paho-python is not available here: ${a.reason}`);
    return childClient(python(), ["-u", script(), ...programArgs(o)]);
  },
};
