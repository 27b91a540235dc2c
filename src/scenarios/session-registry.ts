import { reconnectStorm } from "./reconnect-storm.js";
import { sessionResume } from "./session-resume.js";
import type { ScenarioDefinition } from "./types.js";

/** The session and reconnect scenarios (issue 10), in SESSION_SCENARIO_NAMES' order. */
export const SESSION_SCENARIOS: readonly ScenarioDefinition[] = [sessionResume, reconnectStorm];
