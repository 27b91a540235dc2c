import type { Clock } from "../../core/clock.js";
import { realLibrary } from "./index.js";
import type { RealClient, RealClientExit, RealLibraryId } from "./types.js";

/** Which client ran, as a scenario reports it: the real library and its version. */
export interface RealLibraryIdentity {
  id: RealLibraryId;
  version: string;
  real: true;
}

/** How an idle session of a real library ended, on the clock. */
export interface IdleSessionEnd {
  exit: RealClientExit;
  /** Clock ms after the client was started. */
  afterMs: number;
}

/** One idle client of a real library, kept connected until it ends or is stopped (a scenario's subject). */
export interface IdleSession {
  readonly library: RealLibraryIdentity;
  readonly clientId: string;
  /** Clock ms when the client was started. */
  readonly startedAt: number;
  /** Whether it got its CONNACK. */
  readonly connected: Promise<boolean>;
  /** null while it runs. */
  ended(): IdleSessionEnd | null;
  /** Resolves when it ends by itself (gave up, kicked, reset) or is stopped. */
  readonly done: Promise<IdleSessionEnd>;
  stop(): Promise<IdleSessionEnd>;
}

export interface IdleSessionOptions {
  host: string;
  port: number;
  clientId: string;
  keepaliveS: number;
  loopIntervalMs: number;
  /** MQTT 5 or 3.1.1 (default). */
  protocolVersion?: 4 | 5;
}

/**
 * Starts one idle client of the real `library` against `host:port` (a broker, or a link's relay in front of one).
 * Real libraries run on real time: `clock` must be a scale-1 clock. Rejects when the library does not run here.
 */
export async function startIdleSession(
  clock: Clock,
  library: RealLibraryId,
  o: IdleSessionOptions,
): Promise<IdleSession> {
  if (clock.scale !== 1) throw new RangeError(`a real ${library} runs on real time, not at ×${clock.scale}`);
  const lib = realLibrary(library);
  const a = await lib.detect();
  if (!a.available) throw new Error(`${library} does not run here: ${a.reason}`);
  const startedAt = clock.now();
  const client: RealClient = await lib.start(o);
  let end: IdleSessionEnd | null = null;
  const done = client.exited.then((exit) => {
    end ??= { exit, afterMs: clock.now() - startedAt };
    return end;
  });
  return {
    library: { id: library, version: a.version, real: true },
    clientId: o.clientId,
    startedAt,
    connected: client.connected,
    ended: () => end,
    done,
    async stop() {
      await client.stop();
      return done;
    },
  };
}
