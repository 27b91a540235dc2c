/** Real client libraries as subjects: which run here, and one idle client of each (see ./types.ts). */
import { libmosquitto } from "./libmosquitto.js";
import { mqttC } from "./mqtt-c.js";
import { mqttjs } from "./mqttjs.js";
import { mqttjs4 } from "./mqttjs-4.js";
import { pahoC } from "./paho-c.js";
import { pahoPython } from "./paho-python.js";
import { REAL_LIBRARY_IDS, type RealLibrary, type RealLibraryId } from "./types.js";

export { MQTT_C_SRC_ENV } from "./mqtt-c.js";
export { MQTTJS4_ENV } from "./mqttjs-4.js";
export { PYTHON_ENV } from "./paho-python.js";
export * from "./types.js";

const LIBRARIES: Record<RealLibraryId, RealLibrary> = {
  mqttjs,
  "mqttjs-4": mqttjs4,
  "mqtt-c": mqttC,
  "paho-c": pahoC,
  "paho-python": pahoPython,
  libmosquitto,
};

export function realLibrary(id: RealLibraryId): RealLibrary {
  return LIBRARIES[id];
}

export function isRealLibraryId(text: string): text is RealLibraryId {
  return (REAL_LIBRARY_IDS as readonly string[]).includes(text);
}
