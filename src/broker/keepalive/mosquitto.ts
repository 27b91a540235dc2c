import type { Clock, TimerHandle } from "../../core/clock.js";
import {
  mosquittoEnforces,
  mosquittoLimitSeconds,
  mosquittoShouldKick,
  mosquittoSweepAt,
  mosquittoSweepPhase,
} from "../../keepalive/mosquitto-arithmetic.js";
import { inertWatch } from "./inert-watch.js";
import type { KeepaliveEvents, KeepaliveModel, KeepaliveWatch } from "./types.js";

/** One watched client: its own watch (touch/stop), as one object per connection rather than two closures. */
class Watched implements KeepaliveWatch {
  constructor(
    readonly keepaliveMs: number,
    public lastInboundAt: number,
    readonly events: KeepaliveEvents,
    private readonly watched: Set<Watched>,
    private readonly clock: Clock,
  ) {}

  touch(): void {
    this.lastInboundAt = this.clock.now();
  }

  stop(): void {
    this.watched.delete(this);
  }
}

export interface MosquittoKeepaliveModel extends KeepaliveModel {
  /** Clock ms of the first sweep (a whole second; sweeps at phase + j·6 s, j ≥ 0); undefined before the first watch. */
  sweepPhaseMs(): number | undefined;
}

/**
 * mosquitto 2.0: ONE broker-wide sweep every 6 s on whole seconds, started by start() (the broker's start, as the
 * real one does) or else lazily at the first watch(), first run at the next whole second; stopped by close(); each sweep checks every client at 1-s resolution
 * (mosquitto-arithmetic.ts). Sweep times are absolute (phase + j·6 s), so a late timer never shifts them.
 */
export function createMosquittoModel(clock: Clock): MosquittoKeepaliveModel {
  const watched = new Set<Watched>();
  let phaseMs: number | undefined;
  let j = 0;
  let timer: TimerHandle | undefined;
  let closed = false;

  const schedule = () => {
    if (phaseMs === undefined) return;
    timer = clock.setTimeout(sweep, Math.max(0, mosquittoSweepAt(phaseMs, j) - clock.now()));
  };
  const sweep = () => {
    if (closed) return;
    const at = clock.now();
    for (const w of [...watched]) {
      if (!watched.has(w)) continue; // stopped by an earlier kick's handler
      const kicked = mosquittoShouldKick(at, w.lastInboundAt, w.keepaliveMs);
      if (kicked) watched.delete(w);
      w.events.onTick?.({ at, kicked });
      if (kicked) {
        w.events.onKick({
          at,
          lastInboundAt: w.lastInboundAt,
          limitMs: mosquittoLimitSeconds(w.keepaliveMs) * 1000,
        });
      }
    }
    j += 1;
    schedule();
  };

  const start = () => {
    if (phaseMs !== undefined || closed) return;
    phaseMs = mosquittoSweepPhase(clock.now());
    schedule();
  };

  return {
    name: "mosquitto",
    sweepPhaseMs: () => phaseMs,
    start,
    watch(keepaliveMs: number, events: KeepaliveEvents): KeepaliveWatch {
      if (!mosquittoEnforces(keepaliveMs) || closed) return inertWatch();
      const w = new Watched(keepaliveMs, clock.now(), events, watched, clock);
      watched.add(w);
      start();
      return w;
    },
    close() {
      closed = true;
      watched.clear();
      clock.clear(timer);
    },
  };
}
