import { type CaptureReport, isFinding } from "../capture/capture-report.js";
import { endpoint } from "./capture-json.js";
import { CAUSE_WORDS, ENDING_WORDS, evidenceWords } from "./capture-words.js";
import { junitXml } from "./junit.js";

/** `mqdiag capture --format junit`: one testcase per connection, failed when it is a finding. */
export function captureJunit(report: CaptureReport): string {
  return junitXml({
    name: `mqdiag capture ${report.read.name}`,
    properties: {
      format: report.read.format,
      packets: String(report.read.packets),
      profile: report.model.profile,
    },
    cases: report.connections.map(({ timeline: t, verdict: v }) => {
      const name = `#${t.id} ${t.connect?.clientId ?? "(no CONNECT)"} ${endpoint(t.client)}`;
      const body = v.evidence.map((e) => `packet ${e.at.packet}: ${evidenceWords(e.fact)}`).join("\n");
      const message = `${v.ending}: ${ENDING_WORDS[v.ending]}; cause ${v.cause}: ${CAUSE_WORDS[v.cause]}`;
      return {
        name,
        classname: "capture.connection",
        ...(isFinding(v) ? { failure: { message, type: v.cause, body } } : { output: `${message}\n${body}` }),
      };
    }),
  });
}
