import type { TraceEvent } from "../broker/types.js";
import { seconds } from "../core/seconds.js";
import type { ClientRecord } from "../fleet/types.js";
import { kickDelayAfterConnect, kickDelayAfterLastPacket, predictKickWindow } from "../keepalive/predict.js";
import type { Check } from "./check.js";
import { toleranceMs } from "./time-scale.js";
import type { ScenarioContext } from "./types.js";

/**
 * Was this client kicked where the profile's model says? On the embedded broker: the broker's kick against the
 * model's prediction from the broker's own record of the CONNECT and every inbound packet (exact for nanomq and
 * spec, a window for mosquitto). On an external broker: the client's close after its last packet against the
 * model's window. Either way the check states the delay after the last packet and the window, in scenario s.
 */
export function kickCheck(ctx: ScenarioContext, record: ClientRecord): Check {
  const tol = toleranceMs(ctx.clock.scale);
  const keepaliveMs = record.keepaliveMs;
  const afterLast = kickDelayAfterLastPacket(ctx.profile, keepaliveMs);
  const base = { clientId: record.clientId, toleranceS: seconds(tol) };
  if (record.closedBy !== "broker" || record.closedAt === null) {
    return { code: "kick-in-window", ok: false, essential: true, args: { ...base, kicked: false } };
  }
  const trace = ctx.trace();
  const kick = trace.find(
    (e): e is Extract<TraceEvent, { type: "kick" }> => e.type === "kick" && e.clientId === record.clientId,
  );
  const connect = trace.find((e) => e.type === "connect" && e.clientId === record.clientId);
  if (kick && connect) {
    const inboundAt = trace
      .filter((e) => e.type === "packet-in" && e.clientId === record.clientId && e.at > connect.at)
      .map((e) => e.at);
    const window = predictKickWindow(ctx.profile, { keepaliveMs, connectAt: connect.at, inboundAt });
    const ok = window !== null && kick.at >= window.earliestMs - tol && kick.at <= window.latestMs + tol;
    return {
      code: "kick-in-window",
      ok,
      essential: false,
      args: {
        ...base,
        kicked: true,
        delayS: seconds(kick.at - kick.lastInboundAt),
        sinceConnectS: seconds(kick.at - connect.at),
        predictedFromS: window ? seconds(window.earliestMs - connect.at) : null,
        predictedToS: window ? seconds(window.latestMs - connect.at) : null,
        windowMinS: afterLast ? seconds(afterLast.minMs) : null,
        windowMaxS: afterLast ? seconds(afterLast.maxMs) : null,
      },
    };
  }
  // External: from the client's side. A client silent since CONNECT may wait longer (NanoMQ's first tick at 1.5·Q).
  const lastAt = record.lastSentAt ?? record.connectedAt ?? 0;
  const afterConnect = kickDelayAfterConnect(ctx.profile, keepaliveMs);
  const minMs = afterLast?.minMs ?? Number.POSITIVE_INFINITY;
  const maxMs = Math.max(afterLast?.maxMs ?? 0, afterConnect?.maxMs ?? 0);
  const delay = record.closedAt - lastAt;
  return {
    code: "kick-in-window",
    ok: delay >= minMs - tol && delay <= maxMs + tol,
    essential: false,
    args: {
      ...base,
      kicked: true,
      delayS: seconds(delay),
      windowMinS: seconds(minMs),
      windowMaxS: seconds(maxMs),
    },
  };
}

/** Scenario ms until a client silent from now is surely kicked (the model's latest), plus a margin. */
export function latestKickMs(ctx: Pick<ScenarioContext, "profile">, keepaliveMs: number): number {
  const a = kickDelayAfterLastPacket(ctx.profile, keepaliveMs)?.maxMs ?? 0;
  const b = kickDelayAfterConnect(ctx.profile, keepaliveMs)?.maxMs ?? 0;
  return Math.max(a, b);
}
