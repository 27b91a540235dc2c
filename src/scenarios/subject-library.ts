/** Which client library a scenario's subject was, for the reports (set by ./client-subject.ts). */
export interface SubjectLibrary {
  id: string;
  name: string;
  version: string;
  /** The real library ran (real time); false: its model. */
  real: boolean;
  rule: string;
}
