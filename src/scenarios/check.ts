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
 * What a scenario's own client saw, as named values the reports list (`clientId: k=v, …`): each scenario names
 * its own (subscriber-only's receivedStream, reconnect-storm's phase counts…); a race step is a RaceArgs.
 */
export type OutcomeArgs = { clientId: string | null; race?: never } & {
  readonly [name: string]: string | number | boolean | null | undefined;
};

export type ClientOutcomeArgs = RaceArgs | OutcomeArgs;
