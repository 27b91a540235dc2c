import { SIGNATURE_EXPLANATIONS } from "./explanations.js";
import type { Explanation } from "./types.js";

/**
 * What `mqdiag logs` groups lines into. Most kinds share their signature's id; `peer-gone`, `clean-disconnect`
 * and `broker-closed` exist only as incidents, and `recv-error` is a receive error whose cause is not in the log.
 */
export const INCIDENT_KINDS = [
  "keepalive-timeout",
  "peer-gone",
  "takeover",
  "rejected-publish",
  "malformed-packet",
  "protocol-error",
  "connect-timeout",
  "closed-before-connect",
  "bad-connect",
  "retain-decode-failure",
  "broker-closed",
  "recv-error",
  "clean-disconnect",
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export function isIncidentKind(value: string): value is IncidentKind {
  return (INCIDENT_KINDS as readonly string[]).includes(value);
}

const ONLY_INCIDENTS: Record<"peer-gone" | "clean-disconnect" | "broker-closed", Explanation> = {
  "peer-gone": {
    id: "peer-gone",
    title: "The client went away (reset, FIN without DISCONNECT)",
    meaning:
      "The peer ended the connection without DISCONNECT. NanoMQ: `nni aio recv error!! Connection shutdown` → rv 139, one incident; mosquitto: `Client <id> closed its connection.` (RST and FIN alike). The will message is published.",
    causes: SIGNATURE_EXPLANATIONS["peer-closed"].causes,
    checks: SIGNATURE_EXPLANATIONS["peer-closed"].checks,
    fixes: SIGNATURE_EXPLANATIONS["peer-closed"].fixes,
    specRefs: [],
    scenario: "tcp-rst",
  },
  "clean-disconnect": {
    ...SIGNATURE_EXPLANATIONS["client-disconnect"],
    id: "clean-disconnect",
  },
  "broker-closed": {
    id: "broker-closed",
    title: "The broker closed a pipe for a reason not in the log",
    meaning:
      "`nni aio recv error!! Object closed` → rv 139 with no kick, collision or rejected PUBLISH before it: the broker closed the pipe itself, and the line that says why is missing (a lower log level, a rotated file, or a cause NanoMQ does not log).",
    causes: [
      "a keepalive kick or takeover logged at a level the log does not keep",
      "the log starts mid-incident",
    ],
    checks: [
      "the log level (`log.level` in nanomq.conf: warn keeps the kick lines)",
      "the previous log file",
    ],
    fixes: [
      {
        code: "nanomq-log-level",
        broker: "nanomq",
        change: "log at warn or lower so the cause line is kept",
        configKey: "log.level",
        unit: "level",
      },
    ],
    specRefs: [],
    scenario: "late-ping",
  },
};

/** The explanation of an incident kind. */
export function kindExplanation(kind: IncidentKind): Explanation {
  if (kind === "peer-gone" || kind === "clean-disconnect" || kind === "broker-closed")
    return ONLY_INCIDENTS[kind];
  return { ...SIGNATURE_EXPLANATIONS[kind], id: kind };
}
