import type { Clock } from "../core/clock.js";
import type { ProfileOptions } from "../core/profile.js";
import type { LogLevel, SignatureId } from "../signatures/types.js";
import type { BrokerLimits } from "./limits.js";

/** The embedded broker's public types (the contract the fleet, scenarios, probe and tests code against). */
export interface BrokerOptions extends Partial<ProfileOptions>, Partial<BrokerLimits> {
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 1883; 0 = a free port. */
  port?: number;
  /** Default realClock(); scenarios pass a scaledClock. */
  clock?: Clock;
  /** No-CONNECT timeout; default per profile (NanoMQ 15 s). */
  connectTimeoutMs?: number;
  /**
   * Default true: logLines() keeps the lines. false for a broker whose lines only go out through on("log")
   * (`mqdiag broker`): logLines() stays empty, and a line that no listener takes is not even rendered.
   */
  keepLogLines?: boolean;
}

export interface Broker {
  readonly host: string;
  readonly port: number;
  /** "mqtt://127.0.0.1:<port>" */
  readonly url: string;
  readonly clock: Clock;
  readonly profile: ProfileOptions;
  /** Hooks a scenario sets; the handlers consult them. */
  readonly faults: BrokerFaults;
  on(event: "log", listener: (line: BrokerLogLine) => void): this;
  on(event: "trace", listener: (event: TraceEvent) => void): this;
  off(event: "log", listener: (line: BrokerLogLine) => void): this;
  off(event: "trace", listener: (event: TraceEvent) => void): this;
  /**
   * The lines so far (the last 100,000–200,000: the oldest half is dropped past 200,000, so memory stays bounded);
   * none with `keepLogLines: false`.
   */
  logLines(): readonly BrokerLogLine[];
  /** Counters: open connections, exceptions caught while handling a connection (should stay 0), drops. */
  stats(): BrokerStats;
  /** Closes every connection and the listener. */
  close(): Promise<void>;
}

export interface BrokerStats {
  connections: number;
  internalErrors: number;
  violations: number;
  /** Messages not delivered because the subscriber's outbound buffer was full (maxOutboundBytes). */
  droppedMessages: number;
  /** QoS 1/2 messages for an offline session not queued because its queue was full (the profile's policy). */
  queueOverflow: number;
  /** Sessions kept (attached or waiting for their client). */
  sessions: number;
}

export interface BrokerLogLine {
  /** Broker seconds since start (clock time). */
  t: number;
  /** Clock ms since the clock's origin. */
  at: number;
  level: LogLevel;
  signature: SignatureId | null;
  clientId: string | null;
  /** The full text the real broker would print (with its timestamp prefix). */
  line: string;
}

export interface BrokerFaults {
  /** Return true to withhold the PINGRESP to this client. */
  withholdPingresp?: (clientId: string) => boolean;
  /** Return true to corrupt the stored (encoded) copy of the retained message on this topic when it is stored. */
  corruptRetained?: (topic: string) => boolean;
}

/** For timelines: what the broker saw and did, on the clock. */
export type TraceEvent =
  | {
      type: "connect";
      at: number;
      clientId: string;
      keepaliveMs: number;
      protocolVersion: number;
      pipeId: number;
    }
  | { type: "packet-in"; at: number; clientId: string | null; packet: string }
  | { type: "packet-out"; at: number; clientId: string | null; packet: string }
  | { type: "tick"; at: number; clientId: string; counter?: number; kicked: boolean }
  | { type: "kick"; at: number; clientId: string; lastInboundAt: number; limitMs: number }
  | { type: "close"; at: number; clientId: string | null; cause: CloseCause }
  /** A bug in the embedded broker (an exception in a handler): its connection is closed without any log line. */
  | { type: "internal-error"; at: number; clientId: string | null; message: string };

export type CloseCause =
  | "keepalive"
  | "peer-reset"
  | "peer-closed"
  | "disconnect"
  | "takeover"
  | "malformed"
  | "rejected-publish"
  | "connect-timeout"
  | "broker-shutdown"
  /** The embedded broker's own bug: no real broker would close here, so no dialect prints a line for it. */
  | "internal-error";
