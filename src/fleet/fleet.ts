import type { Clock } from "../core/clock.js";
import { type BehaviourSpec, startClient } from "./behaviour-spec.js";
import type { ClientRecord, FleetClient, FleetTarget } from "./types.js";

/** Client ids say which scenario and behaviour a client belongs to: `mqdiag-<scenario>[-<behaviour>]-<n>`. */
export function clientIdFor(scenario: string, behaviour: string, index: number): string {
  return scenario === behaviour ? `mqdiag-${scenario}-${index}` : `mqdiag-${scenario}-${behaviour}-${index}`;
}

export interface FleetOptions {
  clock: Clock;
  target: FleetTarget;
  scenario: string;
  keepaliveS: number;
  count: number;
  spec: BehaviourSpec;
  protocolVersion?: 4 | 5;
  control?: boolean;
  /** Connections opened at once (default 100). */
  concurrency?: number;
  /** First index (default 1). */
  firstIndex?: number;
  /** Overrides `clientIdFor` (the control client is `mqdiag-<scenario>-control`). */
  clientId?: (index: number) => string;
}

export interface Fleet {
  clients: FleetClient[];
  records(): ClientRecord[];
  /** Resolves when every client's script has ended. */
  done(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `count` clients of one behaviour, at most `concurrency` connecting at a time. */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const clients: FleetClient[] = [];
  const first = options.firstIndex ?? 1;
  const idFor = options.clientId ?? ((i: number) => clientIdFor(options.scenario, options.spec.behaviour, i));
  const concurrency = Math.max(1, options.concurrency ?? 100);
  const fleet: Fleet = {
    clients,
    records: () => clients.flatMap((c) => c.records()),
    done: async () => {
      await Promise.all(clients.map((c) => c.done));
    },
    stop: async () => {
      await Promise.all(clients.map((c) => c.stop()));
    },
  };
  try {
    for (let start = 0; start < options.count; start += concurrency) {
      const batch = Array.from({ length: Math.min(concurrency, options.count - start) }, (_, k) =>
        startClient(
          {
            clock: options.clock,
            target: options.target,
            clientId: idFor(first + start + k),
            keepaliveS: options.keepaliveS,
            protocolVersion: options.protocolVersion,
            control: options.control,
          },
          options.spec,
        ),
      );
      const settled = await Promise.allSettled(batch);
      for (const s of settled) if (s.status === "fulfilled") clients.push(s.value);
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
      if (failed) throw failed.reason;
    }
  } catch (err) {
    await fleet.stop();
    throw err;
  }
  return fleet;
}
