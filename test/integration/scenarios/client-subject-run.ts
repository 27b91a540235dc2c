import { expect } from "vitest";
import { DEFAULT_PROFILE_OPTIONS, type ProfileOptions } from "../../../src/core/profile.js";
import type { ClientLibraryId } from "../../../src/keepalive/clients/types.js";
import { runScenarios } from "../../../src/scenarios/run-scenarios.js";
import type { ScenarioResult } from "../../../src/scenarios/types.js";

/** NanoMQ ticking every 1 s with multiplier 1.25: its kick comes soon enough for a real library's real-time run. */
export const Q1: ProfileOptions = {
  ...DEFAULT_PROFILE_OPTIONS,
  retryIntervalMs: 1000,
  keepaliveMultiplier: 1.25,
};

/** One scenario run with one `--client` subject. */
export interface ClientRun {
  library: ClientLibraryId;
  keepaliveS: number;
  /** NanoMQ's profile; default its shipped one. */
  profile?: ProfileOptions;
  /** --loop-interval, ms; default the scenario's (100 ms). */
  loopIntervalMs?: number;
}

/** Runs the scenario on the auto time scale and expects it reproduced with no failed check. */
export async function runReproduced(name: string, run: ClientRun): Promise<ScenarioResult> {
  const r = await runScenarios({
    names: [name],
    profile: run.profile ?? DEFAULT_PROFILE_OPTIONS,
    options: {
      keepaliveS: run.keepaliveS,
      clients: 1,
      clientLibrary: run.library,
      loopIntervalMs: run.loopIntervalMs,
    },
    timeScale: "auto",
  });
  const s = r.scenarios[0];
  if (!s) throw new Error("no result");
  expect({ verdict: s.verdict, failed: s.checks.filter((c) => !c.ok) }).toEqual({
    verdict: "reproduced",
    failed: [],
  });
  return s;
}

/** runReproduced for a real library, which runs on real time (×1). */
export async function runRealReproduced(name: string, run: ClientRun): Promise<ScenarioResult> {
  const s = await runReproduced(name, run);
  expect(s.timeScale).toBe(1);
  return s;
}
