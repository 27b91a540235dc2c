import type { ProtocolVersion } from "../mqtt-wire/raw-session.js";
import { ConnectFailure } from "../mqtt-wire/transport.js";
import { CHECK_IDS, type CheckId } from "./check-ids.js";
import { type ConnectResult, checkConnect } from "./checks/connect.js";
import { keepaliveFinding } from "./checks/keepalive.js";
import { checkMalformed } from "./checks/malformed.js";
import { checkPing } from "./checks/ping.js";
import { checkRetain } from "./checks/retain.js";
import { checkTakeover } from "./checks/takeover.js";
import { checkWill } from "./checks/will.js";
import type { KeepaliveMeasured, ProbeFinding, VersionsTried } from "./findings.js";
import { identifyBroker } from "./identify.js";
import { SessionEvidence } from "./keepalive-evidence.js";
import { staggerPlan } from "./keepalive-plan.js";
import { keepalivePlan, runPlannedSessions } from "./keepalive-planned.js";
import { adaptiveRounds } from "./keepalive-rounds.js";
import { runSilentSessions, type SilentSample } from "./keepalive-sessions.js";
import type { CheckContext, ProbeOptions, ProbeResult } from "./types.js";
import { startWillWatcher, willTopic } from "./will-watcher.js";

/**
 * Runs the selected checks against one broker. `connect` always runs first (it settles the protocol version);
 * the silent keepalive/will sessions run in parallel with the short checks, so the whole probe takes about the
 * longest kick plus a little. Throws UnreachableError when the broker cannot be reached or refuses CONNECT.
 */
export async function runProbe(options: ProbeOptions): Promise<ProbeResult> {
  const { clock } = options;
  const startedAt = new Date(clock.wallTime()).toISOString();
  const t0 = clock.now();
  const selected = new Set(options.checks);
  const findings = new Map<CheckId, ProbeFinding>();
  options.onProgress?.("connect: trying MQTT 5 and 3.1.1");
  const connect = await checkConnect(options);
  findings.set("connect", connect.finding);
  const version = connect.version;
  const result = (mqttVersion: ProbeResult["target"]["mqttVersion"]): ProbeResult => {
    const checks = CHECK_IDS.filter((id) => selected.has(id) || id === "connect")
      .map((id) => findings.get(id))
      .filter((f): f is ProbeFinding => f !== undefined);
    return {
      schema: "mqdiag.probe/v1",
      target: { ...options.target, mqttVersion },
      startedAt,
      durationMs: Math.round(clock.now() - t0),
      insecure: options.insecure,
      checks,
      identified: identifyBroker(checks),
    };
  };
  if (version === null) {
    for (const id of options.checks) {
      if (id !== "connect")
        findings.set(id, { id, status: "skip", code: "no-connection", specRef: null, measured: {} });
    }
    return result(null);
  }
  const ctx = context(options, version, acceptedVersions(connect.finding.measured));
  const imposed = imposedKeepalive(connect.finding, ctx);
  // the silent sessions keep their own keepalive: 3.1.1 ones when the broker tells MQTT 5 clients its own
  const kaCtx: CheckContext = imposed?.sessionsMqttVersion === "3.1.1" ? { ...ctx, version: 4 } : ctx;
  const watcher = selected.has("will") ? await startWillWatcher(ctx) : undefined;
  const silentNeeded = selected.has("keepalive") || (selected.has("will") && typeof watcher === "object");
  const plan = selected.has("keepalive")
    ? staggerPlan(options.keepaliveSamples, options.sessionsPerSample, options.staggerMs)
    : [{ keepalive: Math.min(...options.keepaliveSamples), offsetMs: 0, round: 0 }];
  // chosen before any session starts (keepalive-planned.ts): its sessions run beside the staggered ones
  const planned = selected.has("keepalive") && options.keepalivePlan ? keepalivePlan(options) : null;
  const evidence = new SessionEvidence();
  // the adaptive rounds end where the staggered sessions would at worst: the stagger window plus max-wait
  const keepaliveDeadline = clock.now() + options.staggerMs + options.maxWaitMs;
  try {
    const silent: Promise<SilentSample[]> = silentNeeded
      ? runSilentSessions(kaCtx, plan, typeof watcher === "object" ? (id) => willTopic(ctx, id) : undefined, {
          evidence,
        })
      : Promise.resolve([]);
    const plannedRun = planned ? runPlannedSessions(kaCtx, planned, evidence) : Promise.resolve(null);
    const short = (async () => {
      const steps: [Exclude<CheckId, "connect">, () => Promise<ProbeFinding>][] = [
        ["ping", () => checkPing(ctx)],
        ["malformed", () => checkMalformed(ctx)],
        ["retain", () => checkRetain(ctx)],
        ["takeover", () => checkTakeover(ctx)],
      ];
      for (const [id, run] of steps) {
        if (!selected.has(id)) continue;
        options.onProgress?.(`${id}…`);
        findings.set(id, await guarded(id, run));
      }
    })();
    const [samples, , planRun] = await Promise.all([silent, short, plannedRun]);
    if (selected.has("keepalive")) {
      const all = await adaptiveRounds(kaCtx, [...samples, ...(planRun?.samples ?? [])], keepaliveDeadline);
      findings.set(
        "keepalive",
        keepaliveFinding(all, options.maxWaitMs, options.forKeepalive, planRun?.run, imposed ?? undefined),
      );
    }
    if (typeof watcher === "string") {
      findings.set("will", {
        id: "will",
        status: "error",
        code: "no-session",
        specRef: null,
        measured: { reason: watcher },
      });
    } else if (watcher) {
      findings.set("will", await guarded("will", () => checkWill(ctx, watcher, samples)));
    }
  } finally {
    if (typeof watcher === "object") watcher.close();
  }
  return result(version === 5 ? "5" : "3.1.1");
}

function context(options: ProbeOptions, version: ProtocolVersion, accepted: ProtocolVersion[]): CheckContext {
  const counters = new Map<string, number>();
  return {
    options,
    version,
    acceptedVersions: accepted,
    clientId(check) {
      const n = counters.get(check) ?? 0;
      counters.set(check, n + 1);
      return `${options.clientIdPrefix}${options.runId}-${check}${n ? `-${n}` : ""}`;
    },
  };
}

/** Server Keep Alive seen by `connect`, and the protocol the keepalive sessions use because of it; null = none. */
function imposedKeepalive(
  connect: ConnectResult["finding"],
  ctx: CheckContext,
): KeepaliveMeasured["serverKeepAlive"] | null {
  if (connect.code !== "connected" || !connect.measured.keepaliveOverridden) return null;
  const seconds = connect.measured.serverKeepAlive;
  if (seconds === null || ctx.version !== 5) return null;
  return { seconds, sessionsMqttVersion: ctx.acceptedVersions.includes(4) ? "3.1.1" : "5" };
}

function acceptedVersions({ versions }: { versions: VersionsTried }): ProtocolVersion[] {
  const out: ProtocolVersion[] = [];
  if (versions["5"]?.accepted) out.push(5);
  if (versions["3.1.1"]?.accepted) out.push(4);
  return out;
}

/** A check that loses the broker midway (refused, reset on connect) becomes an `error` finding, not a crash. */
async function guarded(
  id: Exclude<CheckId, "connect">,
  run: () => Promise<ProbeFinding>,
): Promise<ProbeFinding> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ConnectFailure)) throw err;
    return { id, status: "error", code: "unreachable", specRef: null, measured: { failure: err.kind } };
  }
}
