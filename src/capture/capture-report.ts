import type { ProfileOptions } from "../core/profile.js";
import type { LogJoin } from "./broker-log-join.js";
import { clientLibraryRhythms } from "./client-library-rhythms.js";
import type { CaptureRead } from "./read-capture.js";
import { type VerdictOptions, verdictOf } from "./verdict.js";
import type { ConnectionVerdict, Verdict } from "./verdict-types.js";

/** What `mqdiag capture` reports: the capture as read, the broker model the kicks were judged against, verdicts. */
export interface CaptureReport {
  read: CaptureRead;
  model: ProfileOptions;
  /** Where the model's Q and M came from. */
  modelSource: "profile-options" | "config-file";
  connections: ConnectionVerdict[];
  /** With --broker-log: its incidents within the capture's time, and those joined to connections (by id). */
  brokerLog?: { files: string[]; incidents: number; joins: Map<number, LogJoin[]> };
}

export function buildCaptureReport(
  read: CaptureRead,
  model: ProfileOptions,
  modelSource: CaptureReport["modelSource"],
  rhythms: VerdictOptions["rhythms"] = (rttMs) => clientLibraryRhythms(rttMs / 2),
): CaptureReport {
  return {
    read,
    model,
    modelSource,
    connections: read.connections.map((timeline) => ({
      timeline,
      verdict: verdictOf(timeline, {
        model,
        rhythms,
        ...(read.lastMs === null ? {} : { captureEnd: { packet: read.packets, timeMs: read.lastMs } }),
      }),
    })),
  };
}

/**
 * A finding: a connection the broker kicked or closed for a reason (kicked, malformed, takeover, unknown), one still open
 * past the model's kick (half-open), or any cause that names a culprit (client-late, network, pingresp-missing).
 * Healthy, open and client-ended connections, and undecidable ones, are not findings.
 */
export function isFinding(v: Verdict): boolean {
  // unknown: a takeover or a keepalive kick, either of them a finding
  if (v.ending === "kicked" || v.ending === "malformed" || v.ending === "takeover" || v.ending === "unknown")
    return true;
  if (v.kick?.timing === "late") return true; // open past the model's kick: half-open
  return v.cause === "client-late" || v.cause === "network" || v.cause === "pingresp-missing";
}

/** Exit status: 1 when any connection is a finding, else 0 (usage and file errors are 2, thrown). */
export function captureExitStatus(report: CaptureReport): 0 | 1 {
  return report.connections.some((c) => isFinding(c.verdict)) ? 1 : 0;
}
