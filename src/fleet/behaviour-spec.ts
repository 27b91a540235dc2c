import type { LinkSpec } from "../link/types.js";
import { startClean } from "./behaviours/clean.js";
import type { CloseParams } from "./behaviours/close.js";
import { type CorruptRetainParams, startCorruptRetain } from "./behaviours/corrupt-retain.js";
import { startFin } from "./behaviours/fin.js";
import { type HealthyParams, startHealthy } from "./behaviours/healthy.js";
import { type LatePingParams, startLatePing } from "./behaviours/late-ping.js";
import { type LibraryModelParams, startLibraryModel } from "./behaviours/library-model.js";
import { type MalformedParams, startMalformed } from "./behaviours/malformed.js";
import { type NoConnectParams, startNoConnect } from "./behaviours/no-connect.js";
import { type RealLibraryParams, startRealLibrary } from "./behaviours/real-library.js";
import { type ResumeSubscriberParams, startResumeSubscriber } from "./behaviours/resume-subscriber.js";
import { startRst } from "./behaviours/rst.js";
import { type SubscriberOnlyParams, startSubscriberOnly } from "./behaviours/subscriber-only.js";
import { startTakeover, type TakeoverParams } from "./behaviours/takeover.js";
import { startLinked } from "./linked-client.js";
import { withReconnect } from "./reconnect-after.js";
import type { ReconnectPolicy } from "./reconnect-policy.js";
import type { ClientContext, FleetClient } from "./types.js";

/** A behaviour with its parameters: what one fleet client should do. */
type Behaviour =
  | ({ behaviour: "healthy" } & HealthyParams)
  | ({ behaviour: "late-ping" } & LatePingParams)
  | ({ behaviour: "subscriber-only" } & SubscriberOnlyParams)
  | ({ behaviour: "rst" } & CloseParams)
  | ({ behaviour: "fin" } & CloseParams)
  | ({ behaviour: "clean" } & CloseParams)
  | ({ behaviour: "malformed" } & MalformedParams)
  | ({ behaviour: "takeover" } & TakeoverParams)
  | ({ behaviour: "no-connect" } & NoConnectParams)
  | ({ behaviour: "corrupt-retain" } & CorruptRetainParams)
  | ({ behaviour: "resume-subscriber" } & ResumeSubscriberParams)
  | ({ behaviour: "real-library" } & RealLibraryParams)
  | ({ behaviour: "library-model" } & LibraryModelParams);

/**
 * What one fleet client should do, and optionally over which `link`: with one, the client dials its own relay
 * (src/link) with those faults instead of the broker, and its behaviour does not know. `reconnect`: what it does
 * once the behaviour lost its connection (reconnect-after.ts; healthy reconnects itself); `clean`: its CONNECTs'
 * clean session flag (default true); `answerTimeoutMs`: clock ms to wait for a CONNACK (a large fleet on a fast
 * scaled clock needs more than the default 10 s).
 */
export type BehaviourSpec = Behaviour & {
  link?: LinkSpec;
  reconnect?: ReconnectPolicy;
  clean?: boolean;
  answerTimeoutMs?: number;
};

/** Starts one client of `spec`'s behaviour; resolves once it is connected and its script is running. */
export function startClient(ctx: ClientContext, spec: BehaviourSpec): Promise<FleetClient> {
  const withClean = {
    ...ctx,
    ...(spec.clean === undefined ? {} : { clean: spec.clean }),
    ...(spec.answerTimeoutMs === undefined ? {} : { answerTimeoutMs: spec.answerTimeoutMs }),
  };
  if (spec.link) return startLinked(withClean, spec.link, (linked) => startReconnecting(linked, spec));
  return startReconnecting(withClean, spec);
}

/** The behaviour, wrapped so that it comes back after a drop when the spec has a reconnect policy. */
async function startReconnecting(ctx: ClientContext, spec: BehaviourSpec): Promise<FleetClient> {
  if (!spec.reconnect || spec.behaviour === "healthy") return startBehaviour(ctx, spec);
  return withReconnect(ctx, spec.reconnect, await startBehaviour(ctx, spec));
}

function startBehaviour(ctx: ClientContext, spec: Behaviour): Promise<FleetClient> {
  switch (spec.behaviour) {
    case "healthy":
      return startHealthy(ctx, spec);
    case "late-ping":
      return startLatePing(ctx, spec);
    case "subscriber-only":
      return startSubscriberOnly(ctx, spec);
    case "rst":
      return startRst(ctx, spec);
    case "fin":
      return startFin(ctx, spec);
    case "clean":
      return startClean(ctx, spec);
    case "malformed":
      return startMalformed(ctx, spec);
    case "takeover":
      return startTakeover(ctx, spec);
    case "no-connect":
      return startNoConnect(ctx, spec);
    case "corrupt-retain":
      return startCorruptRetain(ctx, spec);
    case "resume-subscriber":
      return startResumeSubscriber(ctx, spec);
    case "real-library":
      return startRealLibrary(ctx, spec);
    case "library-model":
      return startLibraryModel(ctx, spec);
  }
}
