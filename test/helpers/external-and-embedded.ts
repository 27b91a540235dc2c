import { afterAll, beforeAll, describe, expect } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../src/core/profile.js";
import type { KeepaliveRace } from "../../src/scenarios/network-outcome.js";
import { raceOutcome as raceKind } from "../../src/scenarios/network-race-run.js";
import { runScenarios } from "../../src/scenarios/run-scenarios.js";
import type {
  ScenarioName,
  ScenarioOptions,
  ScenarioResult,
  ScenarioRun,
} from "../../src/scenarios/types.js";
import { NANOMQ_VERSIONS, type Nanomq, type NanomqVersion, nanomqAvailable, startNanomq } from "./nanomq.js";

/**
 * A real broker for the describe this is called in: started in beforeAll (`timeoutMs` for a slow start), stopped
 * after all. The getter is the broker once started.
 */
export function brokerForDescribe<B extends { stop(): Promise<void> }>(
  start: () => Promise<B>,
  timeoutMs?: number,
): () => B {
  let broker: B | undefined;
  beforeAll(async () => {
    broker = await start();
  }, timeoutMs);
  afterAll(async () => {
    await broker?.stop();
  });
  return () => {
    if (broker === undefined) throw new Error("the broker starts in beforeAll");
    return broker;
  };
}

/**
 * `count` real brokers for the describe this is called in, for tests that run side by side each on a broker of its
 * own: all started in beforeAll, before any test runs (a start stalls the test process for a moment, which would
 * shift a running test's clock readings), stopped after all. Each call of the getter hands out the next one.
 */
export function brokersForDescribe<B extends { stop(): Promise<void> }>(
  count: number,
  start: () => Promise<B>,
  timeoutMs?: number,
): () => B {
  const started: B[] = [];
  let next = 0;
  beforeAll(async () => {
    // Settled: a failed start must not leave the others running past afterAll.
    const settled = await Promise.allSettled(Array.from({ length: count }, start));
    for (const s of settled) if (s.status === "fulfilled") started.push(s.value);
    for (const s of settled) if (s.status === "rejected") throw s.reason;
  }, timeoutMs);
  afterAll(async () => {
    await Promise.all(started.map((b) => b.stop()));
  });
  return () => {
    const b = started[next++];
    if (b === undefined) throw new Error(`more tests than the ${count} brokers started`);
    return b;
  };
}

/**
 * A describe per real NanoMQ build (`<what> against the real NanoMQ <version>`, skipped where the build is not
 * here), each with that build started at retry_interval 1 s for it. The tests of one build run one after another
 * (they share its broker and its log); the builds run side by side, each on its own broker, unless `builds` is
 * "in turn".
 */
export function describeEachRealNanomq(
  what: string,
  body: (version: NanomqVersion, broker: () => Nanomq) => void,
  builds: "side by side" | "in turn" = "side by side",
): void {
  for (const version of NANOMQ_VERSIONS)
    describe.runIf(nanomqAvailable(version))(
      `${what} against the real NanoMQ ${version}`,
      { concurrent: builds === "side by side" },
      () => {
        describe.sequential("one test at a time on its broker", () => {
          body(
            version,
            brokerForDescribe(() => startNanomq(version, { retryIntervalS: 1 }), 250_000),
          );
        });
      },
    );
}

/** The embedded nanomq profile of a real NanoMQ build started with retry_interval 1 s. */
export function nanomqProfileOf(version: NanomqVersion): ProfileOptions {
  return {
    ...DEFAULT_PROFILE_OPTIONS,
    retryIntervalMs: 1000,
    nanomqVersion: version === "0.21.9" ? [0, 21, 9] : [0, 25, 3],
  };
}

export interface SideBySideRun {
  names: ScenarioName[];
  profile: ProfileOptions;
  options: ScenarioOptions;
}

/**
 * The same scenarios on an external broker (`--broker`, real time, its log read) and on the embedded profile (a
 * scaled clock): [external, embedded]. "at once" overlaps the two runs; "in turn" runs the external one first.
 */
export async function externalAndEmbedded(
  run: SideBySideRun,
  broker: { url: string; logPath: string },
  order: "at once" | "in turn" = "at once",
): Promise<[ScenarioRun, ScenarioRun]> {
  const external = () =>
    runScenarios({ ...run, timeScale: 1, broker: { url: broker.url, logPath: broker.logPath } });
  const embedded = () => runScenarios({ ...run, timeScale: "auto" });
  if (order === "at once") return Promise.all([external(), embedded()]);
  const e = await external();
  return [e, await embedded()];
}

/**
 * What a keepalive race came to, per scenario: who gave up first, how the old connection ended, and its lines as
 * `lines` reads them.
 */
export const raceOutcome = (run: ScenarioRun, lines: (race: KeepaliveRace) => unknown) =>
  run.scenarios.map((s) => {
    const r = raceKind.of(s) as KeepaliveRace;
    return {
      name: s.name,
      verdict: s.verdict,
      first: r.seen.first,
      ended: r.seen.oldConnectionEndedBy,
      lines: lines(r),
    };
  });

/** The first scenario of each run, each expected reproduced with every check passed. */
export function reproducedFirst(...runs: ScenarioRun[]): (ScenarioResult | undefined)[] {
  const firsts = runs.map((r) => r.scenarios[0]);
  for (const s of firsts)
    expect({ verdict: s?.verdict, failed: s?.checks.filter((c) => !c.ok) }).toEqual({
      verdict: "reproduced",
      failed: [],
    });
  return firsts;
}
