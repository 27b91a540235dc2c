import type { Clock } from "../core/clock.js";
import type { ProfileOptions } from "../core/profile.js";
import type { BrokerLog } from "./broker-log.js";
import type { Connection, Will } from "./connection.js";
import type { KeepaliveModel } from "./keepalive/types.js";
import type { BrokerLimits } from "./limits.js";
import type { BrokerProfile } from "./profiles/broker-profile.js";
import type { RetainedStore } from "./retained-store.js";
import type { SessionPolicy } from "./sessions/session-policy.js";
import type { SessionStore } from "./sessions/session-store.js";
import type { SubscriptionTable } from "./subscriptions.js";
import type { BrokerFaults, TraceEvent } from "./types.js";

/** What Connection.close() hands over: whether it was its client id's connection, and the will to publish, if any. */
export interface Left {
  owner: boolean;
  will: Will | undefined;
}

/** The broker's shared state, handed to every connection and handler. */
export interface BrokerContext {
  readonly clock: Clock;
  readonly options: ProfileOptions;
  readonly profile: BrokerProfile;
  readonly faults: BrokerFaults;
  readonly limits: BrokerLimits;
  readonly log: BrokerLog;
  readonly keepalive: KeepaliveModel;
  readonly connections: Set<Connection>;
  /** Connected clients by client id. */
  readonly clients: Map<string, Connection>;
  readonly subscriptions: SubscriptionTable;
  readonly retained: RetainedStore;
  readonly sessions: SessionStore;
  /** The profile's offline queue and resume policy. */
  readonly sessionPolicy: SessionPolicy;
  /** A NanoMQ era whose only retained check is at store (from 0.21.10 until the delivery check, 0.22.3). */
  readonly decodeRetainedAtStore: boolean;
  readonly stats: {
    internalErrors: number;
    violations: number;
    droppedMessages: number;
    queueOverflow: number;
  };
  nextPipeId(): number;
  /** What a connection's close means for its session and will (./leave.ts). */
  afterClose(conn: Connection, left: Left): void;
  trace(event: TraceEvent): void;
}
