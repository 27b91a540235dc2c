import { secondsOrNull as sec } from "../core/seconds.js";
import type { ClientRecord } from "../fleet/types.js";
import type { DetectedBroker, ScenarioResult, ScenarioRun } from "../scenarios/types.js";
import { tickFaultJson } from "./tick-fault-note.js";

function client(r: ClientRecord) {
  return {
    clientId: r.clientId,
    behaviour: r.behaviour,
    control: r.control,
    keepalive: r.keepaliveMs / 1000,
    connectedAt: sec(r.connectedAt),
    lastSentAt: sec(r.lastSentAt),
    closedAt: sec(r.closedAt),
    closedBy: r.closedBy,
    closeKind: r.closeKind,
    reasonCode: r.reasonCode,
    clientTimeoutAt: sec(r.clientTimeoutAt),
    reconnectedAt: r.reconnectedAt.map((t) => sec(t)),
    bytesReceived: r.bytesReceived,
    notes: r.notes,
    // only for a client library's client (client-library): which one, and whether the real library ran
    ...(r.library ? { library: r.library } : {}),
  };
}

function scenario(s: ScenarioResult) {
  return {
    name: s.name,
    verdict: s.verdict,
    ...(s.skipReason !== undefined ? { skipReason: s.skipReason } : {}),
    expected: s.expected,
    brokerObserved: s.brokerObserved,
    timeScale: s.timeScale,
    ...(s.eventTime ? { clock: "event", jumps: s.eventTime.jumps } : {}),
    duration: sec(s.durationMs),
    signatures: s.signatures.map((g) => ({
      id: g.id,
      at: sec(g.at),
      clientId: g.clientId,
      line: g.line,
      detail: g.detail,
    })),
    clients: s.clients.map(client),
    checks: s.checks.map((c) => ({ code: c.code, ok: c.ok, essential: c.essential, args: c.args })),
    ...s.outcome?.json(s),
  };
}

function detectedJson(d: DetectedBroker) {
  return {
    profile: d.profile,
    ...(d.profile === "nanomq"
      ? {
          nanomqSince: d.nanomqSince ? d.nanomqSince.join(".") : null,
          nanomqUntil: d.nanomqUntil ? d.nanomqUntil.join(".") : null,
        }
      : {}),
    evidence: d.evidence,
  };
}

/** `--format json`: the `mqdiag.scenario/v1` document (times in scenario seconds since each scenario started). */
export function scenarioJson(run: ScenarioRun): string {
  const p = run.target.profile;
  return `${JSON.stringify(
    {
      schema: "mqdiag.scenario/v1",
      target: {
        kind: run.target.kind,
        ...(run.target.url ? { url: run.target.url } : {}),
        profile: p.profile,
        timeScale: run.target.timeScale,
        retryInterval: p.retryIntervalMs / 1000,
        keepaliveMultiplier: p.keepaliveMultiplier,
        ...(run.target.profileDetected !== undefined ? { profileDetected: run.target.profileDetected } : {}),
        ...(run.target.detected ? { detected: detectedJson(run.target.detected) } : {}),
        ...(run.target.settingsFromLog
          ? {
              settingsFromLog: {
                retryInterval: run.target.settingsFromLog.retryIntervalMs / 1000,
                keepaliveMultiplier: run.target.settingsFromLog.keepaliveMultiplier,
              },
            }
          : {}),
        ...tickFaultJson(run),
      },
      scenarios: run.scenarios.map(scenario),
    },
    null,
    2,
  )}\n`;
}
