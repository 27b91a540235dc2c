import { aedesDelay, aedesKickWindow } from "./predict-aedes.js";
import { ejabberdDelay, ejabberdKickWindow } from "./predict-ejabberd.js";
import {
  EMQX_DEFAULT_PARAMS,
  type EmqxKickQuery,
  type EmqxParams,
  emqxDelayAfterLastPacket,
  emqxDelayAfterPing,
  emqxKickWindow,
} from "./predict-emqx.js";
import {
  EMQX_LEGACY_DEFAULTS,
  type EmqxLegacyParams,
  emqxLegacyDelayAfterConnect,
  emqxLegacyDelayAfterLastPacket,
  emqxLegacyKickWindow,
} from "./predict-emqx-legacy.js";
import { hivemqDelay, hivemqKickWindow } from "./predict-hivemq.js";
import {
  rabbitmqDelayAfterConnect,
  rabbitmqDelayAfterLastPacket,
  rabbitmqKickWindow,
} from "./predict-rabbitmq.js";
import type { DelayWindow, KickWindow } from "./predict-types.js";
import {
  vernemqDelayAfterConnect,
  vernemqDelayAfterLastPacket,
  vernemqKickWindow,
} from "./predict-vernemq.js";

/**
 * Keepalive models of brokers the embedded broker has no profile for. EMQX, HiveMQ and VerneMQ cannot run here:
 * theirs are read from the broker's source, not run. aedes, RabbitMQ's MQTT plugin and ejabberd's mod_mqtt run here:
 * theirs are measured on the real broker and checked against it (test/integration/aedes,
 * test/integration/rabbitmq, test/integration/ejabberd). Each file names its evidence. Pure, like predict.ts; no
 * embedded profile uses them yet.
 */
export type SourceModel =
  | ({ model: "emqx" } & EmqxParams)
  | ({ model: "emqx-legacy" } & EmqxLegacyParams)
  | { model: "hivemq" }
  | { model: "vernemq" }
  | { model: "aedes" }
  | { model: "rabbitmq" }
  | { model: "ejabberd" };

export type SourceModelName = SourceModel["model"];

/** Where each model's numbers come from: the broker's source only, or a run of the real broker (and its source). */
export const MODEL_EVIDENCE: Record<SourceModelName, "from-source" | "measured"> = {
  emqx: "from-source",
  "emqx-legacy": "from-source",
  hivemq: "from-source",
  vernemq: "from-source",
  aedes: "measured",
  rabbitmq: "measured",
  ejabberd: "measured",
};

export const SOURCE_MODEL_DEFAULTS = {
  emqx: { model: "emqx", ...EMQX_DEFAULT_PARAMS },
  "emqx-5.0.26": { model: "emqx-legacy", ...EMQX_LEGACY_DEFAULTS["emqx-5.0.26"] },
  "emqx-5.0": { model: "emqx-legacy", ...EMQX_LEGACY_DEFAULTS["emqx-5.0"] },
  hivemq: { model: "hivemq" },
  vernemq: { model: "vernemq" },
  aedes: { model: "aedes" },
  rabbitmq: { model: "rabbitmq" },
  ejabberd: { model: "ejabberd" },
} as const satisfies Record<string, SourceModel>;

/** Where the kick falls (exact for all but HiveMQ, whose close comes up to 100 ms after its decision). */
export function sourceKickWindow(m: SourceModel, query: EmqxKickQuery): KickWindow | null {
  switch (m.model) {
    case "emqx":
      return emqxKickWindow(m, query);
    case "emqx-legacy":
      return emqxLegacyKickWindow(m, query);
    case "hivemq":
      return hivemqKickWindow(query);
    case "vernemq":
      return vernemqKickWindow(query);
    case "aedes":
      return aedesKickWindow(query);
    case "rabbitmq":
      return rabbitmqKickWindow(query);
    case "ejabberd":
      return ejabberdKickWindow(query);
  }
}

/** The kick delay after the last inbound packet of a client that then goes silent, tick phase unknown. */
export function sourceDelayAfterLastPacket(m: SourceModel, keepaliveMs: number): DelayWindow | null {
  switch (m.model) {
    case "emqx":
      return emqxDelayAfterLastPacket(m, keepaliveMs);
    case "emqx-legacy":
      return emqxLegacyDelayAfterLastPacket(m, keepaliveMs);
    case "hivemq":
      return hivemqDelay(keepaliveMs);
    case "vernemq":
      return vernemqDelayAfterLastPacket(keepaliveMs);
    case "aedes":
      return aedesDelay(keepaliveMs);
    case "rabbitmq":
      return rabbitmqDelayAfterLastPacket(keepaliveMs);
    case "ejabberd":
      return ejabberdDelay(keepaliveMs);
  }
}

/** The kick delay after CONNECT of a client silent from the start. */
export function sourceDelayAfterConnect(m: SourceModel, keepaliveMs: number): DelayWindow | null {
  switch (m.model) {
    case "emqx":
      return emqxDelayAfterPing(m, keepaliveMs);
    case "emqx-legacy":
      return emqxLegacyDelayAfterConnect(m, keepaliveMs);
    case "vernemq":
      return vernemqDelayAfterConnect(keepaliveMs);
    case "rabbitmq":
      return rabbitmqDelayAfterConnect(keepaliveMs);
    default:
      return sourceDelayAfterLastPacket(m, keepaliveMs);
  }
}

/**
 * The largest gap between inbound packets that is never kicked whatever the phase, as predict.ts counts it: every
 * shorter gap survives; a gap of exactly this survives too for VerneMQ, RabbitMQ and for EMQX after a packet other
 * than PINGREQ, and is kicked (the timer fires first) for HiveMQ, aedes and EMQX after a PINGREQ. Infinity when off.
 * shorter gap survives; a gap of exactly this survives too for VerneMQ and for EMQX after a packet other than
 * PINGREQ, and is kicked (the timer fires first) for HiveMQ, aedes, ejabberd and EMQX after a PINGREQ. Infinity when off.
 */
export function sourceLargestSafeIntervalMs(m: SourceModel, keepaliveMs: number): number {
  return sourceDelayAfterLastPacket(m, keepaliveMs)?.minMs ?? Number.POSITIVE_INFINITY;
}
