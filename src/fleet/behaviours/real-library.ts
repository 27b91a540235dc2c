import { type RealLibraryId, realLibrary } from "../../clients/real/index.js";
import { UnreachableError, UsageError } from "../../core/errors.js";
import type { ClientContext, FleetClient } from "../types.js";
import { newRecord } from "../types.js";

export interface RealLibraryParams {
  /** The real client library to run (src/clients/real): its own program or MQTT.js in process. */
  library: RealLibraryId;
  /** How often the application drives the library (mqtt_sync, loop()), real ms. */
  loopIntervalMs: number;
}

/**
 * One idle client of a REAL library (src/clients/real), in real time: only a scenario running at ×1 may start one.
 * Its record has what the client side knows: CONNACK, the end of its connection and the library's own reason
 * (`notes.lost`); what the broker did is in the broker's trace and log. `library.real: true`.
 */
export async function startRealLibrary(ctx: ClientContext, params: RealLibraryParams): Promise<FleetClient> {
  if (ctx.clock.scale !== 1)
    throw new UsageError(`a real ${params.library} client runs in real time only (×1)`);
  const lib = realLibrary(params.library);
  const available = await lib.detect();
  if (!available.available) throw new UsageError(`${params.library}: ${available.reason}`);
  const record = newRecord(ctx.clientId, "real-library", ctx.keepaliveS, ctx.control ?? false);
  record.library = { id: lib.id, version: available.version, real: true };
  const client = await lib.start({
    host: ctx.target.host,
    port: ctx.target.port,
    clientId: ctx.clientId,
    keepaliveS: ctx.keepaliveS,
    loopIntervalMs: params.loopIntervalMs,
  });
  if (!(await client.connected)) {
    const exit = await client.exited;
    throw new UnreachableError(
      `${ctx.target.host}:${ctx.target.port}: ${params.library} did not connect (${exit.lost})`,
    );
  }
  record.connectedAt = ctx.clock.now();
  record.events.push({ at: record.connectedAt, dir: "in", packet: "connack" });
  let stopping = false;
  const done = client.exited.then((exit) => {
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
      await client.stop();
      await done;
    },
  };
}
