/** Which client library a scenario's subject was, for the reports (set by ./client-subject.ts). */
export interface SubjectLibrary {
  id: string;
  name: string;
  version: string;
  /** The real library ran (real time); false: its model. */
  real: boolean;
  /** The real library was asked for and cannot run here: why (MQTT-C's source not given, a package missing). */
  notRealBecause?: string;
  rule: string;
}
