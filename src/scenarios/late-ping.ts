import { parsePositiveNumber } from "../core/duration.js";
import type { ProfileOptions } from "../core/profile.js";
import { seconds } from "../core/seconds.js";
import type { ClientRecord } from "../fleet/types.js";
import { predictKickWindow } from "../keepalive/predict.js";
import { kickCheck } from "./kick-check.js";
import { kickSequence } from "./sequences.js";
import type { ScenarioDefinition, ScenarioOptionSet, ScenarioOptions } from "./types.js";
import { waitAllClosed } from "./wait-closed.js";

declare module "./types.js" {
  interface ScenarioOptions {
    /** late-ping: the late PINGREQ's gap as a multiple of keepalive; null = never; undefined = past the kick window. */
    pingAt?: number | null;
  }
}

/** --ping-at <multiple|never>. */
export const latePingOptions: ScenarioOptionSet = {
  specs: [
    {
      flags: "--ping-at <multiple>",
      description: "late PINGREQ at this multiple of keepalive, or never (default: past the kick window)",
    },
  ],
  parse(raw) {
    const text = raw("pingAt");
    if (text === undefined) return {};
    return { pingAt: text === "never" ? null : parsePositiveNumber(text, "--ping-at") };
  },
};

/**
 * Where the profile kicks a client that pings on time once (1 × keepalive after CONNECT) and then stays silent,
 * in ms after that PINGREQ; null = never kicked. This is the model's own prediction for that schedule, not only
 * the phase-free "after the last packet" window: with a keepalive small against NanoMQ's Q the first tick, 1.5·Q
 * after CONNECT, comes later than that window says (keepalive 1 s, Q 10 s: 24 s after the PINGREQ, not 10–20 s).
 */
export function kickAfterOnTimePing(
  p: ProfileOptions,
  keepaliveS: number,
): { minMs: number; maxMs: number } | null {
  const ka = keepaliveS * 1000;
  const w = predictKickWindow(p, { keepaliveMs: ka, connectAt: 0, inboundAt: [ka] });
  return w === null ? null : { minMs: w.earliestMs - ka, maxMs: w.latestMs - ka };
}

/** The default --ping-at: past the profile's kick by half a keepalive (at least 2 s), in half-keepalive steps. */
export function defaultPingAt(p: ProfileOptions, keepaliveS: number): number | null {
  const kick = kickAfterOnTimePing(p, keepaliveS);
  if (kick === null) return null;
  const ka = keepaliveS * 1000;
  return Math.ceil(((kick.maxMs + Math.max(ka / 2, 2000)) / ka) * 2) / 2;
}

function pingAt(p: ProfileOptions, o: ScenarioOptions): number | null {
  return o.pingAt === undefined ? defaultPingAt(p, o.keepaliveS) : o.pingAt;
}

/** Scenario ms until the late client's kick is surely over: the on-time ping, then the model's latest kick. */
function durationMs(p: ProfileOptions, o: ScenarioOptions): number {
  const ka = o.keepaliveS * 1000;
  const latest = kickAfterOnTimePing(p, o.keepaliveS)?.maxMs ?? 3 * ka;
  return ka + latest + Math.max(2000, 0.1 * latest);
}

/** The status detail: how long the late client has been silent against the window its kick is expected in. */
function progress(now: () => number, clients: () => ClientRecord[], p: ProfileOptions, o: ScenarioOptions) {
  const kick = kickAfterOnTimePing(p, o.keepaliveS);
  const window =
    kick === null
      ? "never"
      : kick.minMs === kick.maxMs
        ? `${seconds(kick.minMs, 1)}`
        : `${seconds(kick.minMs, 1)}–${seconds(kick.maxMs, 1)}`;
  const ka = o.keepaliveS * 1000;
  return () => {
    const open = clients().filter((r) => r.closedAt === null);
    const first = Math.min(...open.map((r) => r.connectedAt ?? 0));
    if (open.length > 0 && now() < first + ka) return `on-time PINGREQ due at ${seconds(first + ka, 1)} s`;
    const last = Math.max(...open.map((r) => r.lastSentAt ?? r.connectedAt ?? 0));
    const silent = open.length > 0 && Number.isFinite(last) ? `silent ${seconds(now() - last, 1)} s, ` : "";
    return `${silent}kick expected at ${window} s`;
  };
}

export const latePing: ScenarioDefinition = {
  name: "late-ping",
  options: latePingOptions,
  behaviours: ["late-ping"],
  explanation:
    "the broker counts only inbound packets; a late PINGREQ lets the keepalive timer run out. On NanoMQ rv 139 follows every recv error; the line before it names the cause",
  expected: (p) => ({ seen: kickSequence(p), absent: [] }),
  durationMs,
  async run(ctx) {
    const ka = ctx.options.keepaliveS * 1000;
    const at = pingAt(ctx.profile, ctx.options);
    const fleet = await ctx.startFleet({ behaviour: "late-ping", intervalMs: at === null ? null : at * ka });
    const clients = () => fleet.clients.map((c) => c.records()[0]).filter((r) => r !== undefined);
    const detail = progress(() => ctx.clock.now(), clients, ctx.profile, ctx.options);
    await waitAllClosed(ctx, clients, durationMs(ctx.profile, ctx.options), "the kick", detail);
    for (const record of clients()) ctx.check(kickCheck(ctx, record));
  },
};
