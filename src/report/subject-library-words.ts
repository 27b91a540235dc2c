import type { SubjectLibrary } from "../scenarios/subject-library.js";

/** Why its model ran: the real library's own reason where it could have run, else that it does not run here. */
export function notRealText(notRealBecause: string | undefined): string {
  return notRealBecause === undefined
    ? "the library does not run here"
    : `the real library cannot run here: ${notRealBecause}`;
}

/** "MQTT-C 1.1.6 (the real library, on real time): <its rule>": which client a scenario's subject was. */
export function subjectLibraryText(l: SubjectLibrary): string {
  return `${l.name} ${l.version} (${l.real ? "the real library, on real time" : `its model: ${notRealText(l.notRealBecause)}`}): ${l.rule}`;
}
