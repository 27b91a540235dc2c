import { firstLine, programLibrary } from "./c-library.js";
import { projectFile } from "./project-file.js";

/**
 * Paho C's version: Debian's package version where dpkg knows it (1.3.12 reports itself as 1.3.11 from
 * MQTTAsync_getVersionInfo), else what the library reports.
 */
async function pahoVersion(path: string): Promise<string> {
  try {
    // "libpaho-mqtt1.3:amd64\t1.3.12-1"
    const deb = await firstLine("dpkg-query", ["-W", "libpaho-mqtt1.3"]);
    const version = /\t(\d+\.\d+\.\d+)/.exec(deb)?.[1];
    if (version) return version;
  } catch {
    // not Debian: the library's own word
  }
  return firstLine(path, ["--version"]);
}

/** Eclipse Paho C, MQTTAsync (its own thread): clients/paho-c/idle.c (-lpaho-mqtt3a). */
export const pahoC = programLibrary({
  id: "paho-c",
  describe: "Paho C MQTTAsync (clients/paho-c/idle.c, the library's own thread)",
  drivenByLoop: false,
  minKeepaliveS: 1,
  hint: "install libpaho-mqtt-dev",
  program: () => ({
    name: "paho-c-idle",
    sources: [projectFile("clients/paho-c/idle.c")],
    includeDirs: [],
    libs: ["-lpaho-mqtt3a"],
  }),
  version: pahoVersion,
});
