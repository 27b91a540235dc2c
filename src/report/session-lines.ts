import { durationText, formatSeconds } from "../core/seconds.js";
import type { ResumeCount, ResumeOutcome, StormPhase } from "../scenarios/session-outcome.js";
import { wrapText } from "./scenario-layout.js";

/**
 * "QoS 1, persistent: 10 published, 1 delivered at once, 9 late (the last 101.5 s after the resume), 0 lost"
 * (+ duplicates, order, and the profile's count when it differs). Lost: never came within the cap.
 */
export function resumeLine(c: ResumeCount): string {
  const kind = c.cleanSession ? "clean" : "persistent";
  const late =
    c.late > 0 && c.lastDeliveredAt !== null
      ? [`${c.late} late (the last ${formatSeconds(c.lastDeliveredAt)} after the resume)`]
      : [];
  const parts = [
    `${c.published} published`,
    `${c.delivered - c.late} delivered at once`,
    ...late,
    `${c.lost} lost`,
  ];
  if (c.duplicated > 0) parts.push(`${c.duplicated} duplicated`);
  if (c.order === "out-of-order") parts.push("out of order");
  const notes: string[] = [];
  if (!c.dropped) notes.push("the broker had not dropped it when they were published");
  if (c.delivered < c.expectedDelivered || c.delivered > c.expectedUpTo)
    notes.push(
      `the profile expects ${c.expectedDelivered}${c.expectedUpTo > c.expectedDelivered ? `–${c.expectedUpTo}` : ""} delivered`,
    );
  return `QoS ${c.qos}, ${kind}: ${parts.join(", ")}${notes.length ? ` (${notes.join("; ")})` : ""}`;
}

/** "no backoff: 100 clients back 0.4 s after the first drop, peak 100 connects/s, 0 refused, 0 takeovers". */
export function stormLine(p: StormPhase): string {
  const name =
    p.policy === "immediate" ? "no backoff" : p.policy === "backoff" ? "backoff + jitter" : "no reconnect";
  const back =
    p.allBackMs !== null
      ? `all ${p.clients} clients back ${formatSeconds(p.allBackMs)} after the first drop`
      : `${p.back} of ${p.clients} clients back`;
  const rate = `peak ${p.peakRatePerSecond} connects/s over 100 ms${p.connectSource === "clients" ? " (CONNACKs the clients got)" : ""}`;
  const spread =
    p.firstDropAt !== null && p.lastDropAt !== null && p.lastDropAt - p.firstDropAt >= 100
      ? `, drops spread over ${formatSeconds(p.lastDropAt - p.firstDropAt)}`
      : "";
  return `${name}: ${back}, ${rate}, ${p.refused} refused of ${p.attempts} attempts, ${p.takeovers} takeovers${spread}`;
}

/** session-resume at a glance: `of 10 delivered (QoS 0/1/2): persistent 0/10/10 (late 0/9/9), clean 0/0/0; lost by kick`. */
export function resumeSummary(o: ResumeOutcome): string {
  const rows = (clean: boolean) => o.resume.filter((c) => c.cleanSession === clean);
  const part = (clean: boolean, key: "delivered" | "late") =>
    rows(clean)
      .map((c) => c[key])
      .join("/");
  const late = (clean: boolean) =>
    rows(clean).some((c) => c.late > 0) ? ` (late ${part(clean, "late")})` : "";
  const qos = [...new Set(o.resume.map((c) => c.qos))].join("/");
  const published = o.resume[0]?.published ?? 0;
  return `of ${published} delivered (QoS ${qos}): persistent ${part(false, "delivered")}${late(false)}, clean ${part(true, "delivered")}${late(true)}; lost by ${o.lose}`;
}

/** reconnect-storm at a glance, per phase: `no backoff 100/100 back in 0.4 s, peak 100/s`. */
export function stormSummary(p: StormPhase): string {
  const name =
    p.policy === "immediate" ? "no backoff" : p.policy === "backoff" ? "backoff + jitter" : "no reconnect";
  const back = p.allBackMs !== null ? ` in ${formatSeconds(p.allBackMs)}` : "";
  return `${name} ${p.back}/${p.clients} back${back}, peak ${p.peakRatePerSecond}/s`;
}

/** The table report's lines for `session-resume`: how it was lost, then one line per subscriber. */
export function resumeLines(o: ResumeOutcome, width: number): string[] {
  const wrap = (text: string) => wrapText(text, width, "  ", "    ");
  return [
    ...wrap(
      o.capMs > o.resumeWaitMs
        ? `lost by ${o.lose}; counted until the broker's re-sends were done, at most ${durationText(o.capMs)} after the resume (at once: within ${durationText(o.atOnceMs)}, the first tick; lost: never came):`
        : `lost by ${o.lose}, counted ${durationText(o.resumeWaitMs)} after the resume:`,
    ),
    ...o.resume.flatMap((c) => wrap(resumeLine(c))),
  ];
}

/**
 * The table report's lines for `reconnect-storm`: a line per phase and its connects per second. `eventDriven`: the
 * clock jumped over the waits only (src/core/event-clock.ts), the handshakes took their real time.
 */
export function stormLines(
  phases: readonly StormPhase[],
  timeScale: number,
  width: number,
  eventDriven = false,
): string[] {
  const wrap = (text: string) => wrapText(text, width, "  ", "    ");
  const out: string[] = [];
  if (timeScale > 1)
    out.push(
      ...wrap(
        `clock ×${timeScale}: the handshakes take real time, stretched ${timeScale}× on this clock — run --time-scale 1 for true rates and times`,
      ),
    );
  else if (eventDriven)
    out.push(
      ...wrap(
        "event-driven clock: the connect rates and times are true, the handshakes at real speed (only the waits skipped)",
      ),
    );
  else out.push(...wrap("clock ×1: the connect rates and times are true, measured at real time"));
  for (const p of phases) {
    out.push(...wrap(stormLine(p)));
    if (p.connectsPerSecond.length > 0)
      out.push(...wrap(`connects per second from the first drop: ${p.connectsPerSecond.join(" ")}`));
  }
  return out;
}
