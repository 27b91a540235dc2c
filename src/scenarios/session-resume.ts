import type { ProfileOptions } from "../core/profile.js";
import { fixedSeconds, formatSeconds } from "../core/seconds.js";
import type { ResumeSubscriberClient } from "../fleet/behaviours/resume-subscriber.js";
import { connectMqttClient } from "../fleet/mqtt-client.js";
import { newRecord } from "../fleet/types.js";
import { predictKickWindow } from "../keepalive/predict.js";
import { resumeJson } from "../report/session-json.js";
import { resumeLines, resumeSummary } from "../report/session-lines.js";
import { outcomeKind } from "./outcome-kind.js";
import { kickSequence, peerGoneSequence } from "./sequences.js";
import {
  DEFAULT_SESSION_OPTIONS,
  type Qos,
  type SessionScenarioOptions,
  sessionResumeOptions,
} from "./session-options.js";
import type { ResumeCount, ResumeOutcome } from "./session-outcome.js";
import { resumeCount } from "./session-resume-count.js";
import { expectedDelivered, resumeTiming } from "./session-resume-expect.js";
import type { ScenarioContext, ScenarioDefinition, ScenarioOptions } from "./types.js";

/** Clock ms to wait for a CONNACK, SUBACK or a clean close. */
const ANSWER_MS = 5000;
/** External broker, reset: clock ms after the reset before the broker is taken to have seen it. */
const RESET_SEEN_MS = 500;

function sessionOptions(o: ScenarioOptions): SessionScenarioOptions {
  return o.session ?? DEFAULT_SESSION_OPTIONS;
}

export interface ResumeCase {
  cleanSession: boolean;
  qos: Qos;
}

/** Persistent first (the question the scenario answers), each at every QoS asked for. */
export function resumeCases(o: SessionScenarioOptions): ResumeCase[] {
  return [false, true].flatMap((cleanSession) => o.qos.map((qos) => ({ cleanSession, qos })));
}

/** Clock ms after CONNECT by which the profile has surely kicked a client silent since (null = never). */
function latestKickMs(
  p: ProfileOptions,
  keepaliveS: number,
  inboundAt: number[],
  connectAt = 0,
): number | null {
  const w = predictKickWindow(p, { keepaliveMs: keepaliveS * 1000, connectAt, inboundAt });
  return w === null ? null : w.latestMs;
}

/** Scenario ms until the subscribers are surely gone: the fault at 1 × keepalive, then (stall, kick) the kick. */
function loseMs(p: ProfileOptions, o: ScenarioOptions): number {
  const ka = o.keepaliveS * 1000;
  const lose = sessionOptions(o).lose;
  if (lose === "reset") return ka + RESET_SEEN_MS;
  const pings = lose === "stall" ? [0, ka / 2, ka] : [0];
  return (latestKickMs(p, o.keepaliveS, pings) ?? 3 * ka) + 1000;
}

function durationMs(p: ProfileOptions, o: ScenarioOptions): number {
  const s = sessionOptions(o);
  return loseMs(p, o) + 3000 + resumeTiming(p, s.messages, s.resumeWaitMs).capMs + 2000;
}

/** session-resume's outcome: what each subscriber got back, in the table and as `lose`, `resumeWaitS`, `resume`. */
export const resumeOutcome = outcomeKind<ResumeOutcome>({
  lines: (o, _result, width) => resumeLines(o, width),
  json: resumeJson,
  summary: resumeSummary,
});

/**
 * A subscriber per case (clean session off and on × QoS) loses its connection (--lose: kicked for silence by
 * default, or its link reset or stalled); once the broker has dropped every one of them a publisher sends
 * --messages messages to each at its QoS; then each comes back with the same id and flag, and what arrives within
 * --resume-wait is counted against what the profile's broker delivers (src/scenarios/session-resume-expect.ts).
 */
export const sessionResume: ScenarioDefinition<ResumeOutcome> = {
  name: "session-resume",
  options: sessionResumeOptions,
  behaviours: ["subscriber-only"],
  outcome: resumeOutcome,
  explanation:
    "what a kicked client gets back depends on its session and the broker: a clean session or QoS 0 gets nothing published while it was away; a persistent one at QoS 1/2 gets all of it at once from mosquitto, one message per retry_interval from NanoMQ 0.25.3, none from NanoMQ 0.21.9",
  expected: (p, o) => ({
    seen: sessionOptions(o).lose === "reset" ? peerGoneSequence(p) : kickSequence(p),
    absent: [],
  }),
  durationMs,
  async run(ctx) {
    const o = sessionOptions(ctx.options);
    // One fleet of one per case (ids mqdiag-session-resume-persistent-q1-1 …): the run's records list them.
    // One after another: each starts by removing the session a previous run left under its id (NanoMQ 0.21.9 may
    // crash on that, docs/sessions.md; one at a time at least keeps its log in order).
    const subs: ResumeSubscriberClient[] = [];
    for (const c of resumeCases(o)) {
      const fleet = await ctx.startFleet(
        { behaviour: "resume-subscriber", ...c, lose: o.lose, answerTimeoutMs: ANSWER_MS },
        1,
        `${c.cleanSession ? "clean" : "persistent"}-q${c.qos}`,
      );
      subs.push(...(fleet.clients as ResumeSubscriberClient[]));
    }
    try {
      const dropped = (s: ResumeSubscriberClient) => brokerDropped(ctx, s, o.lose);
      const gone = await ctx.waitUntil(
        () => subs.every(dropped),
        loseMs(ctx.profile, ctx.options) + 2000,
        `the broker to drop the subscribers (${o.lose})`,
        () => `${subs.filter(dropped).length} of ${subs.length} gone`,
      );
      const droppedBefore = subs.map((s) => gone || dropped(s));
      const pubRecord = newRecord("mqdiag-session-resume-publisher", "publisher", ctx.options.keepaliveS);
      const pub = await connectMqttClient(
        {
          clock: ctx.clock,
          target: ctx.target,
          clientId: pubRecord.clientId,
          keepaliveS: ctx.options.keepaliveS,
          answerTimeoutMs: ANSWER_MS,
        },
        pubRecord,
      );
      await Promise.all(
        subs.map(async (s) => {
          for (let i = 0; i < o.messages; i++)
            await pub.client.publishAsync(s.topic, String(i), { qos: s.params.qos });
        }),
      );
      await pub.end();
      await Promise.all(subs.map((s) => s.resume()));
      const resumedAt = ctx.clock.now();
      // Wait for the broker's own policy to finish (one per tick on NanoMQ 0.25.3), up to the cap: at least the
      // resume wait, then until every case has what the profile delivers at most by the cap.
      const timing = resumeTiming(ctx.profile, o.messages, o.resumeWaitMs);
      const expected = subs.map((s) => expectedDelivered(ctx.profile, s.params, o.messages, timing.capMs));
      const distinct = (s: ResumeSubscriberClient) =>
        new Set(s.arrived().arrivals.filter((i) => i >= 0 && i < o.messages)).size;
      await ctx.waitUntil(
        () =>
          ctx.clock.now() - resumedAt >= o.resumeWaitMs &&
          subs.every((s, k) => distinct(s) >= (expected[k]?.upTo ?? 0)),
        timing.capMs,
        "deliveries after the resume",
        () => `${fixedSeconds(ctx.clock.now() - resumedAt)} of at most ${formatSeconds(timing.capMs)}`,
      );
      const counts: ResumeCount[] = subs.map((s, k) =>
        resumeCount(
          s.params,
          s.arrived(),
          o.messages,
          expected[k] ?? { delivered: 0, upTo: 0 },
          droppedBefore[k] ?? false,
          { resumedAt, atOnceMs: timing.atOnceMs },
        ),
      );
      for (const [k, c] of counts.entries())
        ctx.check({
          code: "client-outcome",
          ok: c.dropped && c.delivered >= c.expectedDelivered && c.delivered <= c.expectedUpTo,
          essential: true,
          args: {
            clientId: subs[k]?.clientId ?? null,
            cleanSession: c.cleanSession,
            qos: c.qos,
            published: c.published,
            delivered: c.delivered,
            expected:
              c.expectedUpTo === c.expectedDelivered
                ? c.expectedDelivered
                : `${c.expectedDelivered}–${c.expectedUpTo}`,
            dropped: c.dropped,
          },
        });
      ctx.report({ lose: o.lose, resumeWaitMs: o.resumeWaitMs, ...timing, resume: counts });
    } finally {
      await Promise.all(subs.map((s) => s.stop()));
    }
  },
};

/**
 * Whether the broker has dropped the subscriber's first connection. kick: the client saw the broker close it.
 * reset, stall on the embedded broker: its trace closed that client after the fault. An external broker: reset,
 * RESET_SEEN_MS after the reset; stall, 1 s past the latest kick the profile predicts for the pings before it.
 */
function brokerDropped(
  ctx: ScenarioContext,
  s: ResumeSubscriberClient,
  lose: SessionScenarioOptions["lose"],
): boolean {
  const record = s.firstRecord;
  if (lose === "kick") return record.closedBy === "broker";
  const faultAt = (s.linkStartedAt ?? 0) + (s.faultAfterMs ?? 0);
  if (ctx.clock.now() < faultAt) return false;
  if (!ctx.external)
    return ctx.trace().some((e) => e.type === "close" && e.clientId === s.clientId && e.at >= faultAt);
  if (lose === "reset") return ctx.clock.now() >= faultAt + RESET_SEEN_MS;
  const inbound = record.events.filter((e) => e.dir === "out" && e.at <= faultAt).map((e) => e.at);
  const kick = latestKickMs(ctx.profile, ctx.options.keepaliveS, inbound, record.connectedAt ?? 0);
  return kick !== null && ctx.clock.now() >= kick + 1000;
}
