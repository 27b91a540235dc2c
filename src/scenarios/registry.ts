import { UsageError } from "../core/errors.js";
import { corruptRetain } from "./corrupt-retain.js";
import { finClose } from "./fin-close.js";
import { keepaliveBudgetScenario } from "./keepalive-budget.js";
import { latePing } from "./late-ping.js";
import { malformedPacket } from "./malformed-packet.js";
import { NETWORK_SCENARIOS } from "./network-registry.js";
import { noConnect } from "./no-connect.js";
import { SESSION_SCENARIOS } from "./session-registry.js";
import { sessionTakeover } from "./session-takeover.js";
import { subscriberOnly } from "./subscriber-only.js";
import { tcpRst } from "./tcp-rst.js";
import { SCENARIO_NAMES, type ScenarioDefinition, type ScenarioName } from "./types.js";

/** Every scenario, in the order `all` runs them (the four field reports first). */
export const SCENARIOS: readonly ScenarioDefinition[] = [
  latePing,
  tcpRst,
  malformedPacket,
  corruptRetain,
  subscriberOnly,
  sessionTakeover,
  finClose,
  noConnect,
  keepaliveBudgetScenario,
  ...NETWORK_SCENARIOS,
  ...SESSION_SCENARIOS,
];

export function scenarioDefinition(name: ScenarioName): ScenarioDefinition {
  const def = SCENARIOS.find((s) => s.name === name);
  if (!def) throw new UsageError(`unknown scenario "${name}" (choose ${SCENARIO_NAMES.join(", ")} or all)`);
  return def;
}

/** Resolves the command line's names ("all", or none = all) to scenarios, rejecting unknown ones. */
export function resolveScenarioNames(names: readonly string[]): ScenarioName[] {
  if (names.length === 0 || names.includes("all")) return [...SCENARIO_NAMES];
  const out: ScenarioName[] = [];
  for (const n of names) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(n))
      throw new UsageError(`unknown scenario "${n}" (choose ${SCENARIO_NAMES.join(", ")} or all)`);
    if (!out.includes(n as ScenarioName)) out.push(n as ScenarioName);
  }
  return out;
}
