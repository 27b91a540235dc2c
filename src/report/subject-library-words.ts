import type { SubjectLibrary } from "../scenarios/subject-library.js";

/** "MQTT-C 1.1.6 (the real library, on real time): <its rule>": which client a scenario's subject was. */
export function subjectLibraryText(l: SubjectLibrary): string {
  return `${l.name} ${l.version} (${l.real ? "the real library, on real time" : "its model: the library does not run here"}): ${l.rule}`;
}
