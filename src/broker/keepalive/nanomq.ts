import type { Clock } from "../../core/clock.js";
import { prng, seedFor } from "../../core/prng.js";
import { type ProfileOptions, versionAtLeast } from "../../core/profile.js";
import {
  nanomqEnforces,
  nanomqKickCounter,
  nanomqLimitMs,
  nanomqShouldKick,
} from "../../keepalive/nanomq-arithmetic.js";
import { hasTickFault, tickSchedule } from "../../keepalive/tick-fault.js";
import { createPipeTick, type PipeTick } from "./pipe-tick.js";
import type { KeepaliveEvents, KeepaliveModel, KeepaliveWatch } from "./types.js";

/**
 * Where a kick stops the pipe's timer: 0.25.3 returns from the kick without re-arming it; 0.21.9 re-arms it first
 * (read in both nmq_mqtt.c, and measured: a kicked clean-start-0 client's will never comes on 0.25.3, one tick after
 * the kick on 0.21.9). The release in between that changed it is not known: taken to be 0.25.0 with the other
 * timer changes of that series (the `sleep aio error` line, src/broker/dialects/nanomq.ts).
 */
const TICK_STOPS_AT_KICK_SINCE = [0, 25, 0] as const;

/**
 * NanoMQ's per-connection tick model (nano_pipe_timer_cb): one timer per pipe (./pipe-tick.ts), opened at CONNECT;
 * tick k at connectAt + 1.5·Q + k·Q, computed from the CONNECT time and scheduled from now(), so a late timer never
 * shifts the schedule. The keepalive check is the first duty of each tick; the session-cache re-sends and the end
 * of a kept session (with its will) follow the same ticks (src/broker/flow/tick-resend.ts,
 * src/broker/sessions/cached-session.ts).
 *
 * With a SIMULATED tick fault (`options.tickFault`: --tick-jitter / --tick-drift; a model of a faulty nng timer,
 * not a measured behaviour) the times come from tickSchedule (src/keepalive/tick-fault.ts): each pipe draws its
 * lateness from its own PRNG, seeded from the fault's seed and the pipe's index in this broker — every duty of the
 * pipe moves with it.
 */
export function createNanomqModel(clock: Clock, options: ProfileOptions): KeepaliveModel {
  const retryIntervalMs = options.retryIntervalMs;
  const multiplier = options.keepaliveMultiplier;
  const fault = hasTickFault(options.tickFault) ? options.tickFault : undefined;
  const stopsAtKick = versionAtLeast(options.nanomqVersion, TICK_STOPS_AT_KICK_SINCE);
  let pipes = 0;
  const openPipeTick = (): PipeTick => {
    pipes += 1;
    const draw = fault ? prng(seedFor(fault.seed, `tick-${pipes}`)) : () => 0;
    const tickAt = tickSchedule(clock.now(), retryIntervalMs, fault, draw);
    return createPipeTick(clock, { tickAt, stopsAtKick });
  };
  return {
    name: "nanomq",
    openPipeTick,
    watch(keepaliveMs: number, events: KeepaliveEvents, pipeTick?: PipeTick): KeepaliveWatch {
      const own = pipeTick === undefined;
      const tick = pipeTick ?? openPipeTick();
      let lastInboundAt = clock.now();
      let removeCheck = () => {};
      // keepalive 0 in current builds: no check, but the pipe's timer runs on for its other duties
      if (nanomqEnforces(keepaliveMs, options.nanomqVersion)) {
        // n only grows between packets, and the check does nothing before it reaches N but trace the tick: the
        // pipe's timer need not fire before then (QuietDuty); the ticks between are traced after the fact
        const kickCounter = nanomqKickCounter(retryIntervalMs, keepaliveMs, multiplier);
        removeCheck = tick.on(
          "check",
          ({ at, counter }) => {
            const kicked = nanomqShouldKick(counter, retryIntervalMs, keepaliveMs, multiplier);
            events.onTick?.({ at, counter: kicked ? counter : counter + 1, kicked });
            if (!kicked) return;
            removeCheck(); // at most one kick
            if (own) tick.stop();
            events.onKick({ at, lastInboundAt, limitMs: nanomqLimitMs(keepaliveMs, multiplier) });
          },
          {
            actsAt: (counter) => Math.max(counter, kickCounter),
            skipped: ({ at, counter }) => events.onTick?.({ at, counter: counter + 1, kicked: false }),
          },
        );
      }
      return {
        touch() {
          // Only inbound packets reset the counter; outbound traffic never reaches here.
          tick.touch();
          lastInboundAt = clock.now();
        },
        stop() {
          removeCheck();
          if (own) tick.stop();
        },
      };
    },
    close() {},
  };
}
