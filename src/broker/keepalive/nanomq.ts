import type { Clock, TimerHandle } from "../../core/clock.js";
import { prng, seedFor } from "../../core/prng.js";
import type { ProfileOptions } from "../../core/profile.js";
import { nanomqEnforces, nanomqLimitMs, nanomqShouldKick } from "../../keepalive/nanomq-arithmetic.js";
import { hasTickFault, tickSchedule } from "../../keepalive/tick-fault.js";
import { inertWatch } from "./inert-watch.js";
import type { KeepaliveEvents, KeepaliveModel, KeepaliveWatch } from "./types.js";

/**
 * NanoMQ's per-connection tick model (nano_pipe_timer_cb). Each tick's absolute time is computed from the CONNECT
 * time (connectAt + 1.5·Q + k·Q) and scheduled from now(), so a late timer never shifts the schedule.
 *
 * With a SIMULATED tick fault (`options.tickFault`: --tick-jitter / --tick-drift; a model of a faulty nng timer,
 * not a measured behaviour) the times come from tickSchedule (src/keepalive/tick-fault.ts): each connection draws
 * its lateness from its own PRNG, seeded from the fault's seed and the connection's index in this broker.
 */
export function createNanomqModel(clock: Clock, options: ProfileOptions): KeepaliveModel {
  const retryIntervalMs = options.retryIntervalMs;
  const multiplier = options.keepaliveMultiplier;
  const fault = hasTickFault(options.tickFault) ? options.tickFault : undefined;
  let watches = 0;
  return {
    name: "nanomq",
    watch(keepaliveMs: number, events: KeepaliveEvents): KeepaliveWatch {
      if (!nanomqEnforces(keepaliveMs, options.nanomqVersion)) return inertWatch();
      const connectAt = clock.now();
      watches += 1;
      const draw = fault ? prng(seedFor(fault.seed, `tick-${watches}`)) : () => 0;
      const tickAt = tickSchedule(connectAt, retryIntervalMs, fault, draw);
      let lastInboundAt = connectAt;
      let counter = 0;
      let k = 0;
      let stopped = false;
      let timer: TimerHandle | undefined;
      const schedule = () => {
        timer = clock.setTimeout(tick, Math.max(0, tickAt(k) - clock.now()));
      };
      const tick = () => {
        if (stopped) return;
        const at = clock.now();
        const kicked = nanomqShouldKick(counter, retryIntervalMs, keepaliveMs, multiplier);
        if (!kicked) counter += 1;
        events.onTick?.({ at, counter, kicked });
        if (kicked) {
          stopped = true;
          events.onKick({ at, lastInboundAt, limitMs: nanomqLimitMs(keepaliveMs, multiplier) });
          return;
        }
        k += 1;
        schedule();
      };
      schedule();
      return {
        touch() {
          // Only inbound packets reset the counter; outbound traffic never reaches here.
          counter = 0;
          lastInboundAt = clock.now();
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
