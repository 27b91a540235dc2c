import type { ReconnectPolicy } from "../fleet/reconnect-policy.js";
import type { ClosedBy, CloseKind } from "../fleet/types.js";
import type { FirstToAct } from "../keepalive/clients/versus-broker.js";
import type { SeenFirst } from "./client-library-outcome.js";
import type { LatencyOutcome } from "./latency-budget.js";
import type { OldConnectionEnd, RaceFirst, RaceForecast } from "./network-outcome.js";

/**
 * One expectation, checked: the JUnit testcase. `code` says what was checked, `args` the numbers (no prose): a
 * union keyed by code, each code with its own args (times in scenario seconds unless the key says Ms). The JSON
 * report writes `args` as built (key order included).
 */
export type Check =
  | Checked<"signature-seen", SignatureSeenArgs>
  | Checked<"signature-absent", SignatureAbsentArgs>
  | Checked<"control-not-kicked", ControlArgs>
  | Checked<"kick-in-window", KickArgs>
  | Checked<"survived", SurvivedArgs>
  | Checked<"broker-closed", BrokerClosedArgs>
  | Checked<"client-outcome", ClientOutcomeArgs>;

export type CheckCode = Check["code"];

interface Checked<Code extends string, Args> {
  code: Code;
  ok: boolean;
  /** Failing this check means the fault did not reproduce (not-reproduced) rather than something extra happened. */
  essential: boolean;
  args: Args;
}

/** A signature's detail as the catalogue matches it: {rv} for parse-error, {reason} for recv-error. */
export type SignatureDetailArgs = Readonly<Record<string, string | number>>;

/** An expected signature (`id`: one id or several joined by `|`), its detail, and when it was seen (null: not). */
export interface SignatureSeenArgs {
  id: string;
  rv?: string | number;
  reason?: string | number;
  /** The malformed variant the expectation belongs to. */
  variant?: string;
  atMs: number | null;
  clientId: string | null;
}

export interface SignatureAbsentArgs {
  id: string;
  atMs: number | null;
  clientId: string | null;
}

/** The healthy control client; `simulatedKick`: a simulated tick fault allows its kick. */
export interface ControlArgs {
  clientId: string;
  closedAtMs: number | null;
  simulatedKick?: true;
}

/** A kick against the profile's model: the delay after the last packet, the window, and from CONNECT when known. */
export type KickArgs =
  | { clientId: string; toleranceS: number; kicked: false }
  | {
      clientId: string;
      toleranceS: number;
      kicked: true;
      delayS: number;
      sinceConnectS?: number;
      predictedFromS?: number | null;
      predictedToS?: number | null;
      windowMinS: number | null;
      windowMaxS: number | null;
    };

/** A client pinging every `intervalS` that must survive `gaps` silences. */
export interface SurvivedArgs {
  clientId: string;
  intervalS: number;
  gaps: number;
}

/** Whether and when the broker closed a client: per malformed variant, after a delay against a window, or how. */
export type BrokerClosedArgs =
  | { clientId: string; variant: string; expected: boolean; closed: boolean }
  | {
      clientId: string;
      afterS: number | null;
      fromS: number | null;
      toS: number | null;
      toleranceS?: number | null;
    }
  | { clientId: string; closeKind: string | null; reasonCode: number | null };

/** A keepalive race's step (network-race-checks.ts): who gave up first, when, and how the old connection ended. */
export type RaceArgs =
  | { clientId: string; race: "first"; predicted: RaceForecast; seen: RaceFirst | null }
  | {
      clientId: string;
      race: "client-gave-up";
      atS: number | null;
      predictedS: number | null;
      /** The --client library whose rule the give-up was checked against (absent: MQTT.js). */
      library?: string;
      predictedToS?: number | null;
      toleranceS: number | null;
    }
  | {
      clientId: string;
      race: "broker-kicked";
      atS: number | null;
      fromS: number | null;
      toS: number | null;
      toleranceS: number | null;
    }
  | {
      clientId: string;
      race: "old-connection-ended-by";
      predicted: OldConnectionEnd | "either";
      seen: OldConnectionEnd | null;
    };

/**
 * What a scenario's own client saw, as named values the reports list (`clientId: k=v, …`, in the order each
 * scenario sets them): one shape per scenario below; a race step is a RaceArgs.
 */
export type OutcomeArgs =
  | ReceivedStreamArgs
  | LatencyOutcomeArgs
  | LibraryOutcomeArgs
  | ResumeOutcomeArgs
  | RetainedOutcomeArgs
  | StormOutcomeArgs
  | PeerGoneArgs
  | HalfOpenArgs;

/** Not a race step: no `race` key (what tells an OutcomeArgs from a RaceArgs). */
interface NotARace {
  race?: never;
}

/** subscriber-only: the subscriber received the stream. */
export interface ReceivedStreamArgs extends NotARace {
  clientId: string;
  receivedStream: boolean;
}

/** high-latency: one live client's latency and jitter each way (s), the outcome expected and seen. */
export interface LatencyOutcomeArgs extends NotARace {
  clientId: string;
  latencyS: number | null;
  jitterS: number | null;
  expected: LatencyOutcome;
  seen: LatencyOutcome | null;
  endedAtS: number | null;
}

/** client-library: who the library's model says acts first, who did, and the broker's kick against its window. */
export interface LibraryOutcomeArgs extends NotARace {
  clientId: string;
  library: string;
  real: boolean;
  expectedFirst: FirstToAct;
  seenFirst: SeenFirst;
  kickedAtS: number | null;
  kickFromS?: number;
  kickToS?: number;
}

/** session-resume: one subscriber's case and its count; `expected` a number or a range "3–4". */
export interface ResumeOutcomeArgs extends NotARace {
  clientId: string | null;
  cleanSession: boolean;
  qos: 0 | 1 | 2;
  published: number;
  delivered: number;
  expected: number | string;
  dropped: boolean;
}

/** corrupt-retain: whether the subscriber got the retained message, and whether the fault was injected. */
export interface RetainedOutcomeArgs extends NotARace {
  clientId: string;
  retainedReceived: boolean;
  faultInjected: boolean;
}

/** reconnect-storm: one phase's policy and counts (`clientId` the phase's id pattern). */
export interface StormOutcomeArgs extends NotARace {
  clientId: string;
  policy: ReconnectPolicy["kind"];
  clients: number;
  back: number;
  allBackS: number | null;
  peakRatePerSecond: number;
  refused: number;
  takeovers: number;
}

/** peer-gone (tcp-rst, tcp-fin): who closed the client's connection and how. */
export interface PeerGoneArgs extends NotARace {
  clientId: string;
  closedBy: ClosedBy | null;
  closeKind: CloseKind | null;
}

/** half-open: whether the broker closed the client, and when the client gave up (s). */
export interface HalfOpenArgs extends NotARace {
  clientId: string;
  sawBrokerClose: boolean;
  clientGaveUpAtS: number | null;
}

export type ClientOutcomeArgs = RaceArgs | OutcomeArgs;
