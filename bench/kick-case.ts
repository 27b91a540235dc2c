import { type Broker, startBroker } from "../src/broker/index.js";
import { type Clock, scaledClock } from "../src/core/clock.js";
import { DEFAULT_PROFILE_OPTIONS, type ProfileName } from "../src/core/profile.js";
import {
  MOSQUITTO_SWEEP_INTERVAL_MS,
  mosquittoSeconds,
  mosquittoSweepPhase,
} from "../src/keepalive/mosquitto-arithmetic.js";
import { predictKickAt } from "../src/keepalive/predict.js";
import { openSilentClient, type SilentClient } from "./silent-raw-client.js";

/** One (profile, time scale) of the kick-precision bench. */
export interface KickCase {
  profile: ProfileName;
  scale: number;
  keepaliveS: number;
  /** nanomq only (Q); default 10 s. */
  retryIntervalMs?: number;
  /** nanomq only (M); default 1.25. */
  keepaliveMultiplier?: number;
  clients: number;
  /** The connects are spread evenly over this many clock ms (mosquitto: a whole sweep period, every phase). */
  staggerMs: number;
}

export interface KickCaseResult {
  c: KickCase;
  opened: number;
  kicked: number;
  /** Client side: when its socket was closed − the exact predicted kick, clock (scenario) ms. */
  errorsMs: number[];
  /** Broker side: its kick trace − the predicted kick, clock ms (the timer's lag alone). */
  brokerErrorsMs: number[];
  /** CONNACK arrival − the broker's acceptance of the CONNECT, clock ms. */
  connackLagMs: number[];
  /** Kicked but not predictable (mosquitto: sweep phase unknown), or never closed, or closed another way. */
  notes: string[];
}

/** Starts the broker; for mosquitto, retries until clock.now() before and after startBroker give the same sweep
 * phase (its sweep starts in the constructor, at the next whole second: mosquittoSweepPhase). */
async function start(c: KickCase, clock: Clock): Promise<{ broker: Broker; phaseMs: number | undefined }> {
  const options = {
    port: 0,
    profile: c.profile,
    clock,
    retryIntervalMs: c.retryIntervalMs,
    keepaliveMultiplier: c.keepaliveMultiplier,
  };
  if (c.profile !== "mosquitto") return { broker: await startBroker(options), phaseMs: undefined };
  for (let attempt = 0; ; attempt++) {
    await clock.sleep(1000 - (clock.now() % 1000) + 10); // just after a whole second: a straddle is unlikely
    const before = clock.now();
    const broker = await startBroker(options);
    const after = clock.now();
    if (mosquittoSweepPhase(before) === mosquittoSweepPhase(after)) {
      return { broker, phaseMs: mosquittoSweepPhase(before) };
    }
    if (attempt >= 4) return { broker, phaseMs: undefined };
    await broker.close();
  }
}

export async function measureKickCase(c: KickCase): Promise<KickCaseResult> {
  const clock = scaledClock(c.scale);
  const params = {
    ...DEFAULT_PROFILE_OPTIONS,
    profile: c.profile,
    retryIntervalMs: c.retryIntervalMs ?? DEFAULT_PROFILE_OPTIONS.retryIntervalMs,
    keepaliveMultiplier: c.keepaliveMultiplier ?? DEFAULT_PROFILE_OPTIONS.keepaliveMultiplier,
  };
  const { broker, phaseMs } = await start(c, clock);
  const accepted = new Map<string, number>();
  const kicks = new Map<string, { at: number; lastInboundAt: number }>();
  let offPhaseSweeps = 0;
  broker.on("trace", (e) => {
    if (e.type === "connect") accepted.set(e.clientId, e.at);
    else if (e.type === "kick") kicks.set(e.clientId, { at: e.at, lastInboundAt: e.lastInboundAt });
    else if (e.type === "tick" && phaseMs !== undefined && c.profile === "mosquitto") {
      if ((mosquittoSeconds(e.at) * 1000 - phaseMs) % MOSQUITTO_SWEEP_INTERVAL_MS !== 0) offPhaseSweeps += 1;
    }
  });
  const clients: SilentClient[] = [];
  const notes: string[] = [];
  try {
    const t0 = clock.now();
    const opening: Promise<SilentClient>[] = [];
    for (let i = 0; i < c.clients; i++) {
      const due = t0 + (i * c.staggerMs) / c.clients;
      if (due > clock.now()) await clock.sleep(due - clock.now());
      const id = `kick-${c.profile}-x${c.scale}-${i}`;
      opening.push(openSilentClient(clock, broker.port, id, c.keepaliveS));
    }
    for (const r of await Promise.allSettled(opening)) {
      if (r.status === "fulfilled") clients.push(r.value);
      else notes.push(String(r.reason));
    }
    // The model's own input is the watch() time: the kick trace's lastInboundAt for a client silent since its
    // CONNECT; before the kick, the connect trace (read just before watch()).
    const predict = (id: string): number | null => {
      const connectAt = kicks.get(id)?.lastInboundAt ?? accepted.get(id);
      if (connectAt === undefined || (c.profile === "mosquitto" && phaseMs === undefined)) return null;
      return predictKickAt(params, { keepaliveMs: c.keepaliveS * 1000, connectAt, sweepPhaseMs: phaseMs });
    };
    const latest = Math.max(...clients.map((cl) => predict(cl.clientId) ?? 0));
    const deadline = latest + Math.max(2000, 300 * c.scale);
    while (clients.some((cl) => cl.closedAt() === null) && clock.now() < deadline)
      await clock.sleep(20 * c.scale);

    const result: KickCaseResult = {
      c,
      opened: clients.length,
      kicked: kicks.size,
      errorsMs: [],
      brokerErrorsMs: [],
      connackLagMs: [],
      notes,
    };
    const how = new Map<string, number>();
    const perInstant = new Map<number, number>();
    for (const cl of clients) {
      const acceptedAt = accepted.get(cl.clientId);
      if (acceptedAt !== undefined) result.connackLagMs.push(cl.connackAt - acceptedAt);
      const predicted = predict(cl.clientId);
      const closedAt = cl.closedAt();
      const kick = kicks.get(cl.clientId);
      how.set(cl.closedHow() ?? "still open", (how.get(cl.closedHow() ?? "still open") ?? 0) + 1);
      if (predicted === null || closedAt === null || kick === undefined) continue;
      perInstant.set(predicted, (perInstant.get(predicted) ?? 0) + 1);
      result.errorsMs.push(closedAt - predicted);
      result.brokerErrorsMs.push(kick.at - predicted);
    }
    const unpredicted = clients.length - result.errorsMs.length;
    if (unpredicted > 0) notes.push(`${unpredicted} not kicked, not closed or not predictable`);
    if (c.profile === "mosquitto" && perInstant.size > 0) {
      notes.push(`kicked in ${perInstant.size} sweep(s), up to ${Math.max(...perInstant.values())} in one`);
    }
    if (offPhaseSweeps > 0) notes.push(`${offPhaseSweeps} sweep ticks a whole second late`);
    if (c.profile === "mosquitto" && phaseMs === undefined) notes.push("sweep phase unknown");
    if (how.size !== 1 || !how.has("fin"))
      notes.push(`closed: ${[...how].map(([k, n]) => `${n} ${k}`).join(", ")}`);
    return result;
  } finally {
    for (const cl of clients) cl.destroy();
    await broker.close();
  }
}
