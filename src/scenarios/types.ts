import type { BrokerFaults, TraceEvent } from "../broker/types.js";
import type { Clock } from "../core/clock.js";
import type { ProfileOptions } from "../core/profile.js";
import type { BehaviourSpec } from "../fleet/behaviour-spec.js";
import type { Fleet } from "../fleet/fleet.js";
import type { BehaviourName, ClientRecord, FleetTarget } from "../fleet/types.js";
import type { NanomqSettings } from "../logs/nanomq-settings.js";
import type { SignatureId } from "../signatures/types.js";
import type { Check } from "./check.js";
import type { NetworkScenarioOptions } from "./network-options.js";
import type { TimeScale } from "./time-scale.js";

/** A scenario's name: one of src/scenarios/catalogue.ts (checked where names come in: the CLI, loadScenario). */
export type ScenarioName = string;

/**
 * The user's options for a run, parsed (src/scenarios/scenario-options.ts): the common ones here; a scenario's own
 * options add their members from the scenario's file (its ScenarioOptionSet, below).
 */
export interface ScenarioOptions {
  /** Keepalive of the scenario's clients, whole seconds. Default 10. */
  keepaliveS: number;
  /** Clients of the scenario's behaviour (besides the control client). Default 1. */
  clients: number;
  /** The subject clients' link (every scenario), and the --reconnect policy (src/scenarios/network-options.ts). */
  network?: NetworkScenarioOptions;
}

export const DEFAULT_SCENARIO_OPTIONS: ScenarioOptions = {
  keepaliveS: 10,
  clients: 1,
};

/** One command-line option as commander declares it. */
export interface OptionSpec {
  /** commander's flags, e.g. "--ping-at <multiple>". */
  readonly flags: string;
  readonly description: string;
  /** Its default as text: shown in --help and handed to `parse` when the option is not given. */
  readonly defaultValue?: string;
}

/** An option's text by commander's attribute name (--ping-at → "pingAt"); undefined when not given. */
export type RawOption = (name: string) => string | undefined;

/**
 * The options one scenario takes besides the common ones (or a few scenarios share: network-stall, pingresp-lost
 * and reconnect-storm take the same --reconnect set). The CLI adds `specs` to `mqdiag scenario` when the scenario
 * is named (its --help shows them), and `parse` turns their text into the ScenarioOptions members they fill in,
 * which the scenario's file declares (`declare module "./types.js" { interface ScenarioOptions { … } }`).
 * `common` are the common options, parsed. Every bad value is a UsageError: one line, exit 2.
 */
export interface ScenarioOptionSet {
  readonly specs: readonly OptionSpec[];
  parse(raw: RawOption, common: ScenarioOptions): Partial<ScenarioOptions>;
}

/** A line of the broker's log, attributed to the scenario: the embedded broker's own, or a tailed external log. */
export interface ObservedSignature {
  id: SignatureId;
  /** Clock ms since the scenario started. */
  at: number;
  clientId: string | null;
  line: string;
  /** {rv} for parse-error (and NanoMQ's connect nego rv), {reason} for recv-error. */
  detail: Record<string, string | number>;
}

/**
 * Why a scenario cannot run against a target, a closed set the reporters word (src/report/scenario-messages.ts):
 * `fault-needs-embedded-broker` — its fault is injected into the embedded broker.
 */
export type SkipReason = "fault-needs-embedded-broker";

/** `skipped`: the scenario cannot run against this target (its reason says why); it neither passes nor fails a run. */
export type Verdict = "reproduced" | "not-reproduced" | "unexpected" | "skipped";

/** One signature that must appear; `id` as an array is satisfied by any one of them; `detail` must match too. */
export interface ExpectedSignature {
  id: SignatureId | SignatureId[];
  detail?: Record<string, string | number>;
  /**
   * Only lines of clients whose id starts with this count (and lines that name no client of the fleet): so
   * `--malformed all` checks each variant's own lines, not any variant's.
   */
  clientPrefix?: string;
  /** The malformed variant the expectation belongs to (named in the check). */
  variant?: string;
}

/** What a scenario expects of a profile: signatures that must appear and ones that must not. */
export interface Expectation {
  seen: ExpectedSignature[];
  absent: SignatureId[];
}

/** Extra words for the live status line: fixed, or re-computed at each poll (how long a client has been silent). */
export type StatusDetail = string | (() => string);

/**
 * What a scenario script gets: the broker under test, the clock, the options, and helpers that record. `Outcome` is
 * what the scenario reports besides its checks (`never`: nothing).
 */
export interface ScenarioContext<Outcome = never> {
  readonly name: ScenarioName;
  readonly clock: Clock;
  readonly target: FleetTarget;
  readonly profile: ProfileOptions;
  readonly options: ScenarioOptions;
  /** Present on the embedded broker only. */
  readonly faults: BrokerFaults | undefined;
  readonly external: boolean;
  /** The broker's side is observed: the embedded broker, or an external one with --broker-log. */
  readonly brokerObserved: boolean;
  /**
   * Starts `count` clients (default --clients) of one behaviour, ids `mqdiag-<scenario>-<label>-<n>` (label
   * defaults to the behaviour; `mqdiag-<scenario>-<n>` when they are the same).
   */
  startFleet(spec: BehaviourSpec, count?: number, label?: string): Promise<Fleet>;
  /**
   * Resolves true once `predicate` holds, false after `timeoutMs` clock ms. Meanwhile the status line says what
   * is awaited, the scenario time and `detail` (e.g. the expected window; a function is re-read at each poll).
   */
  waitUntil(
    predicate: () => boolean,
    timeoutMs: number,
    what: string,
    detail?: StatusDetail,
  ): Promise<boolean>;
  check(check: Check): void;
  /** Signatures seen so far in this scenario. */
  signatures(): readonly ObservedSignature[];
  /** What the broker saw and did so far (embedded only; empty for an external broker). */
  trace(): readonly TraceEvent[];
  /** What the scenario found besides its checks, for the reports (its definition's `outcome` words it). */
  report(outcome: Outcome): void;
}

/**
 * What a scenario found besides its checks, bound to its words: the lines the table adds after the checks and the
 * members the JSON adds to the scenario's object (src/scenarios/outcome-kind.ts makes one from a value).
 */
export interface ScenarioOutcome {
  lines(result: ScenarioResult, width: number): string[];
  /** One sentence saying what the scenario showed (the table's glance view); none: its first own check says it. */
  summary?(result: ScenarioResult): string;
  json(result: ScenarioResult): JsonMembers;
}

/** Members of a JSON object, written by a reporter and only ever serialised. */
export type JsonMembers = Readonly<Record<string, unknown>>;

/** The words for one kind of outcome, and a typed way back to its value from a result (outcome-kind.ts). */
export interface OutcomeKind<Outcome> {
  wrap(value: Outcome): ScenarioOutcome;
  of(result: ScenarioResult | undefined): Outcome | undefined;
}

/**
 * One scenario, declared in its own file and listed once in src/scenarios/catalogue.ts (CONTRIBUTING.md, "Adding a
 * scenario"). The runner, the table, the JSON and the JUnit reports know a scenario from this alone.
 */
export interface ScenarioDefinition<Outcome = never> {
  /** Its catalogue line's name (the catalogue holds its description). */
  name: ScenarioName;
  behaviours: BehaviourName[];
  /** Its own options, shown by `mqdiag scenario <name> --help`; none when the common ones say it all. */
  options?: ScenarioOptionSet;
  /** The signatures of docs/broker-facts.md this scenario expects under `profile`. */
  expected(profile: ProfileOptions, options: ScenarioOptions, external: boolean): Expectation;
  /** Scenario ms the script may take (for its deadlines). */
  durationMs(profile: ProfileOptions, options: ScenarioOptions): number;
  /** The script: start the fleet, wait for the outcome, add checks. The runner adds the control and signature checks. */
  run(ctx: ScenarioContext<Outcome>): Promise<void>;
  /** What `ctx.report` takes and how the reports word it; none when the checks say it all. */
  outcome?: OutcomeKind<Outcome>;
  /** What the scenario shows, in one sentence: the table prints it under the scenario's timeline. */
  explanation: string;
  /**
   * The scenario runs at ×1 whatever `--time-scale` says (e.g. its subject is a real client library, on real time);
   * the report states the scale as run.
   */
  realTime?(profile: ProfileOptions, options: ScenarioOptions): boolean;
  /** Why the scenario cannot run against this target (a reason code reporters word), or undefined when it can. */
  skipReason?(profile: ProfileOptions, options: ScenarioOptions, external: boolean): SkipReason | undefined;
}

/** A scenario's result: data only (reporters turn it into words). Times are clock ms since the scenario started. */
export interface ScenarioResult {
  name: ScenarioName;
  verdict: Verdict;
  expected: SignatureId[];
  signatures: ObservedSignature[];
  clients: ClientRecord[];
  checks: Check[];
  /** What the broker saw and did (embedded only), for the timeline. */
  trace: TraceEvent[];
  /** The broker side was observed (embedded broker, or --broker-log given). */
  brokerObserved: boolean;
  timeScale: number;
  /**
   * The clock was event-driven (src/core/event-clock.ts): how often it jumped to its next timer and the scenario
   * ms it skipped so; `timeScale` is then 1, the rate between jumps.
   */
  eventTime?: { jumps: number; skippedMs: number };
  /** Scenario ms and wall ms the run took. */
  durationMs: number;
  wallMs: number;
  /** Its definition's explanation (the table prints it). */
  explanation: string;
  /** What the scenario reported besides its checks (its definition's outcome kind reads the value back: `of`). */
  outcome?: ScenarioOutcome;
  /** Verdict `skipped`: the reason code (e.g. `fault-needs-embedded-broker`). */
  skipReason?: SkipReason;
}

/** An external broker's kind, read from its log's lines (no --profile given). */
export interface DetectedBroker {
  profile: "nanomq" | "mosquitto";
  /** NanoMQ: the versions whose wording the lines fit (inclusive bounds; undefined = open-ended). */
  nanomqSince?: readonly [number, number, number];
  nanomqUntil?: readonly [number, number, number];
  /** The lines that told (at most a few). */
  evidence: string[];
}

export interface RunTargetInfo {
  kind: "embedded" | "external";
  url?: string;
  profile: ProfileOptions;
  /** External broker without --profile: what its log said it is (undefined: nothing in the log told yet). */
  detected?: DetectedBroker;
  /** True when the profile came from the log rather than from --profile (or its default). */
  profileDetected?: boolean;
  /**
   * Q and M read from the external NanoMQ's log (its start-up block, written at `log.level = info`), used where
   * --retry-interval / --keepalive-multiplier were not given.
   */
  settingsFromLog?: NanomqSettings;
  /** The --time-scale asked for ("auto" resolves per scenario; each result states its own). */
  timeScale: TimeScale;
}

export interface ScenarioRun {
  target: RunTargetInfo;
  scenarios: ScenarioResult[];
}
