import { keepaliveInForce } from "../server-keepalive.js";
import type { ClientConditions, ClientModel } from "./types.js";

/** The keepalives of one library's connection under the broker's Server Keep Alive rule. */
export interface LibraryKeepalive {
  /** The CONNACK's Server Keep Alive (s), or null when the broker tells this client nothing. */
  toldS: number | null;
  /** What the library pings with: the told value if it honours it (or is not known not to), else its own. */
  pingsWithMs: number;
  /** What the broker's keepalive model watches: the told value, else the one asked. */
  brokerWatchesMs: number;
}

/**
 * A library that speaks MQTT 5 is told the broker's keepalive when the rule applies ([MQTT-3.1.2-21]); a library
 * that `ignores` it keeps pinging at its own while the broker kicks at the told one. A 3.1.1-only library is
 * never told.
 */
export function libraryKeepalive(model: ClientModel, c: ClientConditions): LibraryKeepalive {
  const asked = c.keepaliveMs;
  const own = { toldS: null, pingsWithMs: asked, brokerWatchesMs: asked };
  if (!speaksMqtt5(model)) return own;
  const told = keepaliveInForce(c.serverKeepalive, Math.round(asked / 1000), 5).serverKeepAliveS;
  if (told === undefined) return own;
  return { toldS: told, pingsWithMs: pingsWith(model, asked, told * 1000), brokerWatchesMs: told * 1000 };
}

/** Whether the library speaks MQTT 5, and so can be told a Server Keep Alive at all. */
export function speaksMqtt5(model: ClientModel): boolean {
  return model.serverKeepAlive.handling !== "mqtt311-only";
}

/** The keepalive a library pings with after its CONNACK: the told one (if any) unless it ignores it (any unit). */
export function pingsWith(model: ClientModel, asked: number, told: number | undefined): number {
  return told === undefined || model.serverKeepAlive.handling === "ignores" ? asked : told;
}
