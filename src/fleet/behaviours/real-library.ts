import { startIdleSession } from "../../clients/real/idle-session.js";
import type { RealLibraryId } from "../../clients/real/index.js";
import { UnreachableError } from "../../core/errors.js";
import type { ClientContext, FleetClient } from "../types.js";
import { newRecord } from "../types.js";

export interface RealLibraryParams {
  /** The real client library to run (src/clients/real): its own program or MQTT.js in process. */
  library: RealLibraryId;
  /** How often the application drives the library (mqtt_sync, loop()), real ms. */
  loopIntervalMs: number;
  /** MQTT 5 (to be told a Server Keep Alive) or 3.1.1 (default). */
  protocolVersion?: 4 | 5;
}

/**
 * One idle client of a REAL library (src/clients/real), in real time: only a scenario running at ×1 may start one.
 * Its record has what the client side knows: CONNACK, the end of its connection and the library's own reason
 * (`notes.lost`); what the broker did is in the broker's trace and log. `library.real: true`.
 */
export async function startRealLibrary(ctx: ClientContext, params: RealLibraryParams): Promise<FleetClient> {
  // real time only, and only where the library runs (the scenario picks this behaviour after checking both)
  const session = await startIdleSession(ctx.clock, params.library, {
    host: ctx.target.host,
    port: ctx.target.port,
    clientId: ctx.clientId,
    keepaliveS: ctx.keepaliveS,
    loopIntervalMs: params.loopIntervalMs,
    ...(params.protocolVersion ? { protocolVersion: params.protocolVersion } : {}),
  });
  const record = newRecord(ctx.clientId, "real-library", ctx.keepaliveS, ctx.control ?? false);
  record.library = session.library;
  if (!(await session.connected)) {
    const end = await session.done;
    throw new UnreachableError(
      `${ctx.target.host}:${ctx.target.port}: ${params.library} did not connect (${end.exit.lost})`,
    );
  }
  record.connectedAt = ctx.clock.now();
  record.events.push({ at: record.connectedAt, dir: "in", packet: "connack" });
  let stopping = false;
  const done = session.done.then(({ exit }) => {
    if (stopping) return;
    record.closedAt = ctx.clock.now();
    record.notes.lost = exit.lost ?? `exit ${exit.code ?? exit.signal}`;
  });
  return {
    clientId: ctx.clientId,
    behaviour: "real-library",
    records: () => [record],
    done,
    async stop() {
      stopping = record.closedAt === null;
      await session.stop();
      await done;
    },
  };
}
