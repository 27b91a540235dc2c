import type { TraceEvent } from "../broker/types.js";
import { isRealLibraryId, realLibrary } from "../clients/real/index.js";
import type { ProfileOptions } from "../core/profile.js";
import type { BehaviourSpec } from "../fleet/behaviour-spec.js";
import type { ReconnectPolicy } from "../fleet/reconnect-policy.js";
import type { ClientRecord, FleetClient } from "../fleet/types.js";
import { clientModel } from "../keepalive/clients/catalogue.js";
import { speaksMqtt5 } from "../keepalive/clients/server-keepalive.js";
import {
  type ClientLibraryId,
  type ClientModel,
  DEFAULT_LOOP_INTERVAL_MS,
} from "../keepalive/clients/types.js";
import { activeAt, directionsOf, type LinkEvent, type LinkSpec } from "../link/types.js";
import type { SubjectLibrary } from "./subject-library.js";
import type { ScenarioOptions } from "./types.js";

/**
 * The subject client of the scenarios whose subject is a healthy client (`--client <library>`, client-library's
 * options): the REAL library where it runs here (its own program, or MQTT.js in process, on real time), the
 * library's model (src/keepalive/clients) otherwise. Without --client each scenario keeps its own client.
 */

/** The library --client names, or undefined (the scenario's own client). */
export function namedLibrary(o: ScenarioOptions): ClientModel | undefined {
  return o.clientLibrary === undefined ? undefined : clientModel(o.clientLibrary);
}

/** How often the application drives the subject's library (mqtt_sync, loop()), ms. */
export function loopIntervalOf(o: ScenarioOptions): number {
  return o.loopIntervalMs ?? DEFAULT_LOOP_INTERVAL_MS;
}

/** A named library that may run for real: the scenario runs at ×1 (a real library runs on real time). */
export function subjectRealTime(o: ScenarioOptions): boolean {
  return o.clientLibrary !== undefined && isRealLibraryId(o.clientLibrary);
}

/**
 * The behaviour of one client of `id`: the real library when `tryReal` and it runs here, else its model. The
 * record's `library` says which ran and, when the real one was asked for but is not installed, not built or not
 * given (MQTT-C's source), why.
 */
export async function librarySpec(
  id: ClientLibraryId,
  tryReal: boolean,
  loopIntervalMs: number,
  protocolVersion?: 4 | 5,
): Promise<BehaviourSpec> {
  const version = protocolVersion ? { protocolVersion } : {};
  if (tryReal && isRealLibraryId(id)) {
    const a = await realLibrary(id).detect();
    if (a.available) return { behaviour: "real-library", library: id, loopIntervalMs, ...version };
    return { behaviour: "library-model", library: id, loopIntervalMs, notRealBecause: a.reason, ...version };
  }
  return { behaviour: "library-model", library: id, loopIntervalMs, ...version };
}

/**
 * Under a broker that tells MQTT 5 clients a keepalive (--server-keepalive / --max-keepalive), a library that
 * speaks MQTT 5 connects with it, to be told; otherwise 3.1.1, as the libraries' idle programs do by default.
 */
export function subjectProtocol(p: ProfileOptions, id: ClientLibraryId): 4 | 5 {
  return p.serverKeepalive !== undefined && speaksMqtt5(clientModel(id)) ? 5 : 4;
}

/**
 * The subject's spec with the scenario's link and reconnect: --client's library (real where it runs here), or
 * the scenario's own healthy MQTT.js client.
 */
export async function subjectSpec(
  o: ScenarioOptions,
  extra: { link?: LinkSpec; reconnect?: ReconnectPolicy },
): Promise<BehaviourSpec> {
  if (o.clientLibrary === undefined) return { behaviour: "healthy", ...extra };
  return { ...(await librarySpec(o.clientLibrary, true, loopIntervalOf(o))), ...extra };
}

/**
 * A real library's first connection ended on its side: its own giving up (recorded as MQTT.js's is) unless the
 * broker's close reached it first — the broker kicked it (the embedded broker's trace says why it closed; else the
 * relay saw the broker close first), and no stall held that close from the client. A program may exit only once
 * its socket is closed both ways, after the broker's answer to its own FIN: the trace tells those apart. `r` is
 * the first record of fleet client `c`, whose link's events tell the relay's side; a model's record stays as it is.
 */
export function markOwnEnd(
  c: FleetClient,
  r: ClientRecord,
  link: LinkSpec,
  trace: readonly TraceEvent[],
): void {
  if (!r.library?.real) return;
  const linkEvents: readonly LinkEvent[] = c.link?.events() ?? [];
  const linkStart = c.link?.startedAt ?? 0;
  const end = r.closedAt;
  if (end === null || r.clientTimeoutAt !== null) return;
  const close = trace.find(
    (e): e is Extract<TraceEvent, { type: "close" }> => e.type === "close" && e.clientId === r.clientId,
  );
  const brokerClosed =
    close === undefined
      ? linkEvents.find((e) => e.kind === "broker-closed" && e.conn === 1)?.at
      : close.cause === "keepalive"
        ? close.at
        : undefined;
  const held =
    brokerClosed !== undefined &&
    link.faults.some(
      (f) =>
        f.kind === "stall" &&
        directionsOf(f.direction).includes("to-client") &&
        activeAt(f, brokerClosed - linkStart),
    );
  if (brokerClosed !== undefined && brokerClosed <= end && !held) {
    r.closedBy ??= "broker";
    return;
  }
  r.clientTimeoutAt = end;
  r.closedBy = "client";
  r.closeKind ??= "FIN";
}

/** Which library a scenario's subject was, and its keepalive rule in one sentence (src/keepalive/clients). */
/** The subject's library for the reports, when --client named one (its record says which version ran). */
export function subjectLibrary(o: ScenarioOptions, r: ClientRecord | undefined): SubjectLibrary | undefined {
  const model = namedLibrary(o);
  if (!model || !r?.library) return undefined;
  return {
    id: model.id,
    name: model.name,
    version: r.library.version,
    real: r.library.real,
    ...(r.library.notRealBecause === undefined ? {} : { notRealBecause: r.library.notRealBecause }),
    rule: model.rule,
  };
}
