import type { ProfileOptions } from "../core/profile.js";
import { embeddedTarget } from "./embedded-target.js";
import { checkReachable, externalTarget, parseBrokerUrl } from "./external-target.js";
import { logSize } from "./log-tail.js";
import { runScenario } from "./runner.js";
import type { ScenarioName, ScenarioOptions, ScenarioRun } from "./types.js";

export interface RunScenariosOptions {
  names: ScenarioName[];
  profile: ProfileOptions;
  options: ScenarioOptions;
  timeScale: number | "auto";
  /** An external broker (`--broker`), run at real time; with `logPath` its log is tailed. */
  broker?: { url: string; logPath?: string };
  onStatus?: (text: string) => void;
}

/** `mqdiag scenario`: runs the named scenarios one after another, each on its own clock (and embedded broker). */
export async function runScenarios(o: RunScenariosOptions): Promise<ScenarioRun> {
  const external = o.broker !== undefined;
  let target = embeddedTarget(o.profile);
  if (o.broker) {
    const endpoint = parseBrokerUrl(o.broker.url);
    // A bad --broker-log is a usage error (2), said before the broker is tried (3).
    if (o.broker.logPath !== undefined) await logSize(o.broker.logPath);
    await checkReachable(endpoint);
    target = externalTarget(endpoint, o.broker.logPath);
  }
  const scenarios = [];
  for (const name of o.names) {
    scenarios.push(
      await runScenario(name, {
        profile: o.profile,
        options: o.options,
        timeScale: external ? 1 : o.timeScale,
        target,
        external,
        onStatus: o.onStatus,
      }),
    );
  }
  return {
    target: {
      kind: external ? "external" : "embedded",
      ...(o.broker ? { url: o.broker.url } : {}),
      profile: o.profile,
      timeScale: external ? 1 : o.timeScale,
    },
    scenarios,
  };
}
