import { firstLine, programLibrary } from "./c-library.js";
import { projectFile } from "./project-file.js";

/** libmosquitto: clients/libmosquitto/idle.c, calling mosquitto_loop every loop interval (-lmosquitto). */
export const libmosquitto = programLibrary({
  id: "libmosquitto",
  describe: "libmosquitto (clients/libmosquitto/idle.c, mosquitto_loop every loop interval)",
  drivenByLoop: true,
  // mosquitto_connect answers MOSQ_ERR_INVAL for a keepalive under 5 s (2.0.11, measured)
  minKeepaliveS: 5,
  hint: "install libmosquitto-dev",
  program: () => ({
    name: "libmosquitto-idle",
    sources: [projectFile("clients/libmosquitto/idle.c")],
    includeDirs: [],
    libs: ["-lmosquitto"],
  }),
  version: (path) => firstLine(path, ["--version"]),
});
