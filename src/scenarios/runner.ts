import { type Clock, scaledClock } from "../core/clock.js";
import { inProcessEventClock } from "../core/in-flight.js";
import type { ProfileOptions } from "../core/profile.js";
import { fixedSeconds } from "../core/seconds.js";
import { startHealthy } from "../fleet/behaviours/healthy.js";
import { clientIdFor, type Fleet, startFleet } from "../fleet/fleet.js";
import type { FleetClient } from "../fleet/types.js";
import type { Check } from "./check.js";
import { expectedIds, signatureChecks, verdictOf } from "./expectations.js";
import { loadScenario } from "./load-scenario.js";
import { withUserLink } from "./network-link.js";
import { controlKickExpected } from "./on-time-client.js";
import type { ScenarioTarget, TargetFactory } from "./target.js";
import { type TimeScale, toleranceMs } from "./time-scale.js";
import type {
  ObservedSignature,
  ScenarioContext,
  ScenarioDefinition,
  ScenarioName,
  ScenarioOptions,
  ScenarioOutcome,
  ScenarioResult,
  SkipReason,
} from "./types.js";

export interface RunScenarioOptions {
  profile: ProfileOptions;
  /** The profile the expectations are read from after the script, when it may have been learnt meanwhile. */
  expectedProfile?: () => ProfileOptions;
  options: ScenarioOptions;
  /** A fixed scale, or "auto" (event-driven: src/core/event-clock.ts); external targets always run at 1. */
  timeScale: TimeScale;
  target: TargetFactory;
  external: boolean;
  /** A live status text ("late-ping: waiting for the kick, 42 s of 80–90 s"), for the CLI's status line. */
  onStatus?: (text: string) => void;
}

/** What a script reported besides its checks, bound to its definition's words. */
interface Reported {
  outcome?: ScenarioOutcome;
}

/** Scenario ms to wait after the script for the broker's last lines (an external log is polled). */
const SETTLE_MS = 1000;

export function controlClientId(name: ScenarioName): string {
  return `mqdiag-${name}-control`;
}

/** Runs one scenario: a fresh clock (and, embedded, a fresh broker), the control client, the script, the checks. */
export async function runScenario(name: ScenarioName, run: RunScenarioOptions): Promise<ScenarioResult> {
  return runDefinition(await loadScenario(name), run);
}

/** Runs a loaded scenario (runScenario's body; the definition is all the runner knows of it). */
export async function runDefinition<Outcome>(
  def: ScenarioDefinition<Outcome>,
  run: RunScenarioOptions,
): Promise<ScenarioResult> {
  const name = def.name;
  const skipReason = def.skipReason?.(run.profile, run.options, run.external);
  if (skipReason !== undefined) return skipped(name, def.explanation, skipReason, run);
  const realTime = run.external || def.realTime?.(run.profile, run.options) === true;
  // auto: event-driven where every connection is in this process (src/core/in-flight.ts), else real time
  const eventDriven = !realTime && run.timeScale === "auto";
  const scale = run.timeScale === "auto" || realTime ? 1 : run.timeScale;
  const events = eventDriven ? inProcessEventClock() : undefined;
  const clock: Clock = events ?? scaledClock(scale);
  const wallStart = performance.now();
  const target = await run.target(clock);
  const fleets: Fleet[] = [];
  const checks: Check[] = [];
  let control: FleetClient | undefined;
  let cutoff: readonly ObservedSignature[] = [];
  const reported: Reported = {};
  try {
    control = await startHealthy({
      clock,
      target: target.endpoint,
      clientId: controlClientId(name),
      keepaliveS: run.options.keepaliveS,
      control: true,
    });
    const ctx = context(
      def,
      clock,
      events ? "event-driven" : `×${scale}`,
      target,
      run,
      fleets,
      checks,
      reported,
    );
    await def.run(ctx);
    await target.flush();
    const expectation = def.expected(run.expectedProfile?.() ?? run.profile, run.options, run.external);
    const controlId = controlClientId(name);
    const subject = () => ownLines(name, target.signatures()).filter((s) => s.clientId !== controlId);
    // Wait briefly for lines still on their way (an external log is polled), then freeze what was seen.
    await ctx.waitUntil(
      () => signatureChecks(expectation, subject()).every((c) => c.ok || c.code === "signature-absent"),
      target.brokerObserved ? SETTLE_MS : 0,
      "the broker's log lines",
    );
    await target.flush();
    cutoff = ownLines(name, target.signatures());
    if (target.brokerObserved) checks.push(...signatureChecks(expectation, subject()));
    const controlRecord = control.records()[0];
    const controlKicked =
      controlRecord?.closedBy === "broker" ||
      cutoff.some((s) => s.clientId === controlId && s.id === "keepalive-timeout");
    // A simulated tick fault may kick even an on-time client (src/scenarios/on-time-client.ts): then it is allowed.
    const simulatedKick =
      controlKicked &&
      controlKickExpected(run.profile, run.options.keepaliveS, clock.now(), toleranceMs(clock.scale));
    checks.push({
      code: "control-not-kicked",
      ok: !controlKicked || simulatedKick,
      essential: false,
      args: {
        clientId: controlId,
        closedAtMs: controlRecord?.closedAt ?? null,
        ...(simulatedKick ? { simulatedKick } : {}),
      },
    });
  } finally {
    try {
      await Promise.all([...fleets.map((f) => f.stop()), control?.stop()]);
      await target.close();
    } finally {
      events?.stop(); // also when the embedded broker's bug fails the run: no timers, no socket watch left behind
    }
  }
  const records = [...(control?.records() ?? []), ...fleets.flatMap((f) => f.records())];
  return {
    name,
    verdict: verdictOf(checks),
    expected: expectedIds(def.expected(run.expectedProfile?.() ?? run.profile, run.options, run.external)),
    signatures: cutoff.filter((s) => s.at >= 0),
    clients: records,
    checks,
    trace: [...target.trace()],
    brokerObserved: target.brokerObserved,
    timeScale: scale,
    ...(events ? { eventTime: events.stats() } : {}),
    durationMs: clock.now(),
    wallMs: performance.now() - wallStart,
    explanation: def.explanation,
    ...(reported.outcome ? { outcome: reported.outcome } : {}),
  };
}

/** A scenario that cannot run against this target: nothing is started, and the verdict says why. */
function skipped(
  name: ScenarioName,
  explanation: string,
  reason: SkipReason,
  run: RunScenarioOptions,
): ScenarioResult {
  return {
    name,
    verdict: "skipped",
    skipReason: reason,
    expected: [],
    signatures: [],
    clients: [],
    checks: [],
    trace: [],
    brokerObserved: false,
    timeScale: run.external ? 1 : typeof run.timeScale === "number" ? run.timeScale : 1,
    durationMs: 0,
    wallMs: 0,
    explanation,
  };
}

/**
 * The lines of this scenario: those naming one of its clients (`mqdiag-<scenario>-…`) and those naming none
 * (NanoMQ's rv lines). An external broker's log also holds its other clients' lines: they are not the scenario's.
 */
function ownLines(name: ScenarioName, lines: readonly ObservedSignature[]): ObservedSignature[] {
  const prefix = `mqdiag-${name}-`;
  return lines.filter((s) => s.clientId === null || s.clientId.startsWith(prefix));
}

function context<Outcome>(
  def: ScenarioDefinition<Outcome>,
  clock: Clock,
  /** How the clock runs, for the status line ("×10", "event-driven"). */
  clockLabel: string,
  target: ScenarioTarget,
  run: RunScenarioOptions,
  fleets: Fleet[],
  checks: Check[],
  reported: Reported,
): ScenarioContext<Outcome> {
  const name = def.name;
  const pollMs = () => Math.max(20 * clock.scale, 1);
  const nextIndex = new Map<string, number>();
  const scenarioName = name;
  return {
    name,
    clock,
    target: target.endpoint,
    profile: run.profile,
    options: run.options,
    faults: target.faults,
    external: run.external,
    brokerObserved: target.brokerObserved,
    async startFleet(spec, count, label) {
      const n = count ?? run.options.clients;
      const name = label ?? spec.behaviour;
      // Reserve the indices before awaiting, so fleets started together never share a client id.
      const firstIndex = nextIndex.get(name) ?? 1;
      nextIndex.set(name, firstIndex + n);
      const fleet = await startFleet({
        clock,
        target: target.endpoint,
        scenario: scenarioName,
        keepaliveS: run.options.keepaliveS,
        count: n,
        spec: withUserLink(spec, run.options.network),
        firstIndex,
        clientId: (i) => clientIdFor(scenarioName, name, i),
      });
      fleets.push(fleet);
      return fleet;
    },
    async waitUntil(predicate, timeoutMs, what, detail) {
      const deadline = clock.now() + timeoutMs;
      // The deadline is a timer of its own, the polls only look: an event-driven clock jumps to the deadline (or to
      // whatever happens before it), never to the next poll while nothing happened.
      const deadlineTimer = clock.setTimeout(() => {}, timeoutMs);
      try {
        for (;;) {
          if (predicate()) return true;
          if (clock.now() >= deadline) return false;
          if (run.onStatus) {
            const t = fixedSeconds(clock.now(), 0);
            const extra = typeof detail === "function" ? detail() : detail;
            run.onStatus(
              `${name} · ${t} s (${clockLabel}) · waiting for ${what}${extra ? ` · ${extra}` : ""}`,
            );
          }
          await clock.sleep(Math.min(pollMs(), Math.max(1, deadline - clock.now())), { poll: true });
        }
      } finally {
        clock.clear(deadlineTimer);
      }
    },
    check(c) {
      checks.push(c);
    },
    signatures: () => target.signatures(),
    trace: () => target.trace(),
    report(value) {
      reported.outcome = def.outcome?.wrap(value);
    },
  };
}
