import type { Clock, TimerHandle } from "../../core/clock.js";
import { specEnforces, specLimitMs } from "../../keepalive/spec-arithmetic.js";
import { inertWatch } from "./inert-watch.js";
import type { KeepaliveEvents, KeepaliveModel, KeepaliveWatch } from "./types.js";

/** Exactly 1.5 × keepalive after the last inbound packet, reset by every inbound packet. */
export function createSpecModel(clock: Clock): KeepaliveModel {
  return {
    name: "spec",
    watch(keepaliveMs: number, events: KeepaliveEvents): KeepaliveWatch {
      if (!specEnforces(keepaliveMs)) return inertWatch();
      const limitMs = specLimitMs(keepaliveMs);
      let lastInboundAt = clock.now();
      let stopped = false;
      let timer: TimerHandle | undefined;
      const expire = () => {
        if (stopped) return;
        stopped = true;
        const at = clock.now();
        events.onTick?.({ at, kicked: true });
        events.onKick({ at, lastInboundAt, limitMs });
      };
      // [MQTT-3.1.2-24] (3.1.1) / [MQTT-3.1.2-22] (5.0): nothing received within 1.5 × keepalive → disconnect.
      const arm = () => {
        clock.clear(timer);
        timer = clock.setTimeout(expire, Math.max(0, lastInboundAt + limitMs - clock.now()));
      };
      arm();
      return {
        touch() {
          if (stopped) return;
          lastInboundAt = clock.now();
          arm();
        },
        stop() {
          stopped = true;
          clock.clear(timer);
        },
      };
    },
    close() {},
  };
}
