import type { Clock } from "../../core/clock.js";
import type { ProfileOptions } from "../../core/profile.js";
import { createMosquittoModel } from "./mosquitto.js";
import { createNanomqModel } from "./nanomq.js";
import { createSpecModel } from "./spec.js";
import type { KeepaliveModel } from "./types.js";

export type { MosquittoKeepaliveModel } from "./mosquitto.js";
export type { KeepaliveEvents, KeepaliveModel, KeepaliveWatch, KickInfo, TickInfo } from "./types.js";

/** The keepalive model of a profile; one per broker instance (call close() when the broker stops). */
export function createKeepaliveModel(clock: Clock, options: ProfileOptions): KeepaliveModel {
  switch (options.profile) {
    case "nanomq":
      return createNanomqModel(clock, options);
    case "mosquitto":
      return createMosquittoModel(clock);
    case "spec":
      return createSpecModel(clock);
  }
}
