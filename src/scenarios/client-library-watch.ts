import type { ProfileOptions } from "../core/profile.js";
import { secondsOrNull } from "../core/seconds.js";
import type { ClientRecord } from "../fleet/types.js";
import { clientModel } from "../keepalive/clients/catalogue.js";
import type { ClientModel } from "../keepalive/clients/types.js";
import { type ClientVersusBroker, clientVersusBroker } from "../keepalive/clients/versus-broker.js";
import type { Check } from "./check.js";
import { DEFAULT_CLIENT_LIBRARY } from "./client-library-options.js";
import type { ClientLibraryOutcome, SeenFirst } from "./client-library-outcome.js";
import { loopIntervalOf } from "./client-subject.js";
import { toleranceMs } from "./time-scale.js";
import type { ScenarioContext, ScenarioOptions } from "./types.js";

/**
 * One idle client of a library watched against its model's forecast for this broker: client-library's subject,
 * and keepalive-budget's with --client. Times: ms after its CONNECT.
 */

/** What a watch needs of the scenario (any scenario's context). */
export type WatchContext = Pick<
  ScenarioContext,
  "trace" | "signatures" | "clock" | "waitUntil" | "options" | "profile" | "external"
>;

/** The library --client names (client-library: MQTT.js's model without it). */
export function libraryOf(o: ScenarioOptions): ClientModel {
  return clientModel(o.clientLibrary ?? DEFAULT_CLIENT_LIBRARY);
}

/** The model's forecast for this library against this profile, at the run's keepalive and loop. */
export function forecastFor(p: ProfileOptions, o: ScenarioOptions): ClientVersusBroker {
  return clientVersusBroker(
    libraryOf(o),
    {
      keepaliveMs: o.keepaliveS * 1000,
      oneWayLatencyMs: 0,
      loopIntervalMs: loopIntervalOf(o),
      ...(p.serverKeepalive ? { serverKeepalive: p.serverKeepalive } : {}),
    },
    p,
  );
}

/**
 * Scenario ms to watch: past the forecast's last action, or a few keepalives when nobody should act; where the
 * outcome depends on phase, a few keepalives and past its earliest action (a later one may need minutes).
 */
export function observeMs(p: ProfileOptions, o: ScenarioOptions): number {
  const f = forecastFor(p, o);
  // the keepalive the broker watches: the one asked, or the Server Keep Alive it told the client
  const ka = f.keepalive.brokerWatchesMs;
  const loop = loopIntervalOf(o);
  const latest = Math.max(f.brokerKicksAtMs?.maxMs ?? 0, f.clientGivesUpAtMs?.maxMs ?? 0);
  const quiet = Math.max(4 * ka, 3 * (f.pingGapMs?.maxMs ?? ka));
  if (f.firstToAct === "nobody") return quiet;
  if (f.dependsOnPhase) {
    const earliest = Math.min(f.brokerKicksAtMs?.minMs ?? latest, f.clientGivesUpAtMs?.minMs ?? latest);
    return Math.max(quiet, earliest + loop + 2000);
  }
  return Math.max(latest + loop + 2000, ka);
}

export function seenOf(ctx: WatchContext, record: ClientRecord): ClientLibraryOutcome["seen"] {
  const trace = ctx.trace();
  const connect = trace.find((e) => e.type === "connect" && e.clientId === record.clientId);
  const t0 = connect?.at ?? record.connectedAt ?? 0;
  const kick = trace.find((e) => e.type === "kick" && e.clientId === record.clientId);
  // an external broker's kick line: naming the subject, or naming no client (NanoMQ at warn) — the control is
  // never kicked, so an unnamed kick line in this scenario is the subject's
  const line = ctx
    .signatures()
    .find((s) => s.id === "keepalive-timeout" && (s.clientId === record.clientId || s.clientId === null));
  const kickedAt = kick?.at ?? line?.at ?? null;
  const pings = trace
    .filter((e) => e.type === "packet-in" && e.packet === "pingreq" && e.clientId === record.clientId)
    .map((e) => e.at);
  const gaps = [t0, ...pings].slice(1).map((at, i) => at - ([t0, ...pings][i] ?? t0));
  const ended = record.clientTimeoutAt ?? record.closedAt;
  const first: SeenFirst =
    kickedAt !== null && (ended === null || kickedAt <= ended)
      ? "broker"
      : ended !== null
        ? "client"
        : "nobody";
  const lost = record.notes.lost;
  return {
    first,
    kickedAtMs: kickedAt === null ? null : kickedAt - t0,
    clientEndedAtMs: ended === null ? null : ended - t0,
    lost: typeof lost === "string" ? lost : null,
    pingGapsMs: gaps,
  };
}

/**
 * Waits until the library's connection ended (or the watch's time is up) and checks who acted first, and when the
 * broker kicked, against the forecast (± the scale's tolerance and one application loop).
 */
export async function watchLibrary(
  ctx: WatchContext,
  record: ClientRecord,
  model: ClientModel,
  forecast: ClientVersusBroker,
): Promise<{ seen: ClientLibraryOutcome["seen"]; check: Check }> {
  const watchMs = observeMs(ctx.profile, ctx.options);
  const start = record.connectedAt ?? ctx.clock.now();
  await ctx.waitUntil(
    () => seenOf(ctx, record).first !== "nobody" && (record.closedAt !== null || ctx.external),
    Math.max(0, start + watchMs - ctx.clock.now()),
    forecast.firstToAct === "nobody" ? "nothing (it should survive)" : `the ${forecast.firstToAct} to act`,
  );
  const seen = seenOf(ctx, record);
  // a real library's program only says that its connection ended: the broker's record says who ended it
  if (record.closedAt !== null && record.closedBy === null && seen.first !== "nobody")
    record.closedBy = seen.first;
  const tol = toleranceMs(ctx.clock.scale) + loopIntervalOf(ctx.options);
  const kickWindow = forecast.brokerKicksAtMs;
  const inWindow =
    seen.kickedAtMs === null || kickWindow === null
      ? null
      : seen.kickedAtMs >= kickWindow.minMs - tol && seen.kickedAtMs <= kickWindow.maxMs + tol;
  const expectedFirst = forecast.firstToAct;
  // phase-dependent: this run's phase may be one where nobody acts (within the watch), or where the forecast's
  // first acts, in its window
  const ok = forecast.dependsOnPhase
    ? (seen.first === "nobody" || seen.first === expectedFirst || expectedFirst === "tie") &&
      inWindow !== false
    : expectedFirst === "tie"
      ? seen.first !== "nobody"
      : seen.first === expectedFirst && inWindow !== false;
  const check: Check = {
    code: "client-outcome",
    ok,
    essential: true,
    args: {
      clientId: record.clientId,
      library: model.id,
      real: record.library?.real ?? false,
      expectedFirst,
      seenFirst: seen.first,
      kickedAtS: secondsOrNull(seen.kickedAtMs),
      ...(kickWindow ? { kickFromS: kickWindow.minMs / 1000, kickToS: kickWindow.maxMs / 1000 } : {}),
    },
  };
  return { seen, check };
}
