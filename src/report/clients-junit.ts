import { secondsOrNull } from "../core/seconds.js";
import type { ClientsSurvey } from "../keepalive/clients/survey.js";
import { clientVerdictLine } from "./clients-words.js";
import { junitXml } from "./junit.js";

/** One test case per library: it fails when its idle connection ends (or may, depending on phase). */
export function clientsJunit(survey: ClientsSurvey): string {
  return junitXml({
    name: "mqdiag clients",
    properties: {
      profile: survey.broker.profile,
      keepaliveS: String(secondsOrNull(survey.conditions.keepaliveMs)),
      latencyS: String(secondsOrNull(survey.conditions.oneWayLatencyMs)),
      loopIntervalS: String(secondsOrNull(survey.conditions.loopIntervalMs)),
    },
    cases: survey.rows.map((row) => {
      const line = clientVerdictLine(row);
      return {
        name: `${row.model.id} survives`,
        classname: "mqdiag.clients",
        ...(row.verdict.firstToAct === "nobody" ? { output: line } : { failure: { message: line } }),
      };
    }),
  });
}
