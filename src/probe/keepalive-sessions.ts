import { round } from "../core/round.js";
import type { CloseKind } from "../mqtt-wire/raw-session.js";
import { ConnectFailure } from "../mqtt-wire/transport.js";
import { startSession } from "./check-session.js";
import type { SessionEvidence } from "./keepalive-evidence.js";
import type { Observation } from "./keepalive-hypotheses.js";
import type { SilentSessionPlan } from "./keepalive-plan.js";
import type { CheckContext } from "./types.js";

/** One silent session: CONNECT, then nothing at all (no PINGREQ), until the broker closes it or max-wait. */
export interface SilentSample {
  clientId: string;
  /** Keepalive requested (s). */
  keepalive: number;
  /** Keepalive in force (s): the broker's Server Keep Alive when it sent one [MQTT-3.1.2-21] (5.0). */
  effectiveKeepalive: number;
  offsetMs: number;
  /** Stagger round (keepalive-plan.ts). */
  round: number;
  /** Clock ms of the session's last packet (its CONNECT). */
  lastPacketAt: number;
  /** Clock ms of the close, null when not closed within max-wait. */
  closeAt: number | null;
  /** Seconds from the last packet to the close. */
  kickAfter: number | null;
  closeKind: CloseKind | null;
  reasonCode: number | null;
  /** The session could not be set up. */
  error?: string;
  /** Seconds the session waited after its last packet (max-wait, or an adaptive round's budget). */
  waited: number;
  /** Started by an adaptive round (keepalive-adaptive.ts) or the plan, all at once, without a will. */
  adaptive?: boolean;
  /** Started by the keepalive plan (keepalive-planned.ts) at the start, chosen by what it would tell. */
  planned?: boolean;
}

/** How a batch of silent sessions runs beyond the staggered first round. */
export interface SilentRunOptions {
  /** How long each session waits after its CONNECT (clock ms); default max-wait. */
  waitMs?: number;
  /** Index of the first session, for unique client ids. */
  first?: number;
  /** Which sessions these are: staggered (default), an adaptive round, or the keepalive plan's. */
  kind?: "adaptive" | "planned";
  /** Told when each session starts and ends (the keepalive plan watches every session). */
  evidence?: SessionEvidence;
  /** Per session (by index in `plan`): resolves when it no longer needs to wait. */
  stop?: (i: number) => Promise<unknown>;
  /** Per session, after its offset: resolves when it may connect (the plan connects one after another). */
  gate?: (i: number) => Promise<unknown>;
  /** Per session: its CONNECT has been answered (clock ms of the CONNECT; null when it failed). */
  connected?: (i: number, lastPacketAt: number | null) => void;
}

/**
 * Runs every planned silent session in parallel (each starting at its offset) and resolves when all are closed,
 * have waited `maxWaitMs` (or `run.waitMs`) after their last packet, or were stopped. `willTopicFor` gives each
 * session a will (the will check).
 */
export async function runSilentSessions(
  ctx: CheckContext,
  plan: readonly SilentSessionPlan[],
  willTopicFor?: (clientId: string) => string,
  run: SilentRunOptions = {},
): Promise<SilentSample[]> {
  const { options } = ctx;
  const waitMs = run.waitMs ?? options.maxWaitMs;
  let kicked = 0;
  const started = options.clock.now();
  const progress = options.onProgress;
  const ticker = progress
    ? options.clock.setInterval(() => {
        const s = Math.round((options.clock.now() - started) / 1000);
        progress(
          `keepalive: ${kicked} of ${plan.length} ${run.kind ? `${run.kind} ` : ""}silent sessions closed, ${s} s (wait ${Math.round(waitMs / 1000)} s)`,
        );
      }, 1000)
    : undefined;
  try {
    return await Promise.all(
      plan.map(async (p, i) => {
        const sample = await runOne(ctx, p, (run.first ?? 0) + i, waitMs, willTopicFor, {
          ...run,
          until: run.stop?.(i),
          gate: run.gate ? () => run.gate?.(i) ?? Promise.resolve() : undefined,
          connected: run.connected ? (_, at) => run.connected?.(i, at) : undefined,
        });
        if (run.kind) sample.adaptive = true;
        if (run.kind === "planned") sample.planned = true;
        if (sample.closeAt !== null) kicked++;
        return sample;
      }),
    );
  } finally {
    options.clock.clear(ticker);
  }
}

async function runOne(
  ctx: CheckContext,
  p: SilentSessionPlan,
  index: number,
  maxWaitMs: number,
  willTopicFor: ((clientId: string) => string) | undefined,
  run: SilentRunOptions & { until?: Promise<unknown> },
): Promise<SilentSample> {
  const { options } = ctx;
  await options.clock.sleep(p.offsetMs);
  await run.gate?.(index);
  const clientId = ctx.clientId(`${run.kind === "planned" ? "plan-" : ""}ka${p.keepalive}s-${index}`);
  const will = willTopicFor
    ? {
        will: {
          topic: willTopicFor(clientId),
          payload: Buffer.from("mqdiag probe will"),
          qos: 0 as const,
          retain: false,
        },
      }
    : {};
  const base = {
    clientId,
    keepalive: p.keepalive,
    effectiveKeepalive: p.keepalive,
    offsetMs: p.offsetMs,
    round: p.round,
    closeAt: null,
    kickAfter: null,
    closeKind: null,
    reasonCode: null,
    waited: 0,
  };
  const started = await startSession(ctx, "", p.keepalive, { clientId, ...will }).catch((err: unknown) => {
    if (err instanceof ConnectFailure) return { ok: false as const, reason: `unreachable-${err.kind}` };
    throw err;
  });
  run.connected?.(index, started.ok ? started.session.lastSentAt : null);
  if (!started.ok) return { ...base, lastPacketAt: options.clock.now(), error: started.reason };
  const { session, connack } = started;
  const effectiveKeepalive = connack.properties?.serverKeepAlive ?? p.keepalive;
  const lastPacketAt = session.lastSentAt;
  const { evidence } = run;
  evidence?.started(clientId, effectiveKeepalive, lastPacketAt);
  let outcome: Observation | null = null;
  try {
    const waitMs = Math.max(0, lastPacketAt + maxWaitMs - options.clock.now());
    const close = await session.waitClosed(waitMs, run.until);
    const waited = round((options.clock.now() - lastPacketAt) / 1000);
    if (!close) {
      outcome = { keepalive: effectiveKeepalive, kickAfter: null, waited };
      return { ...base, effectiveKeepalive, lastPacketAt, waited };
    }
    outcome = { keepalive: effectiveKeepalive, kickAfter: round((close.at - lastPacketAt) / 1000), waited };
    return {
      ...base,
      effectiveKeepalive,
      lastPacketAt,
      closeAt: close.at,
      kickAfter: round((close.at - lastPacketAt) / 1000),
      waited,
      closeKind: close.kind,
      reasonCode: close.reasonCode ?? null,
    };
  } finally {
    session.destroy();
    evidence?.ended(clientId, outcome);
  }
}
