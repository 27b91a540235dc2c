import { createKeepaliveModel } from "../../../src/broker/keepalive/index.js";
import type { TickInfo } from "../../../src/broker/keepalive/types.js";
import { manualClock } from "../../../src/core/clock.js";
import type { KeepaliveParams } from "../../../src/keepalive/predict.js";

export interface RuntimeClient {
  keepaliveMs: number;
  connectAt?: number;
  inboundAt?: readonly number[];
  /** mosquitto: start the broker-wide sweep at this time with another (never-kicked) client. */
  sweepPhaseMs?: number;
}

/** Drives the RUNTIME model on a manual clock through one client's history; returns its kick time or null. */
export function runtimeKickAt(
  params: KeepaliveParams,
  client: RuntimeClient,
  untilMs: number,
): { kickAt: number | null; ticks: TickInfo[] } {
  const clock = manualClock();
  const model = createKeepaliveModel(clock, params);
  const ticks: TickInfo[] = [];
  let kickAt: number | null = null;
  try {
    const connectAt = client.connectAt ?? 0;
    if (client.sweepPhaseMs !== undefined && client.sweepPhaseMs < connectAt) {
      clock.advanceTo(client.sweepPhaseMs - 1); // the sweep starts on the next whole second
      model.watch(3_600_000, { onKick() {} });
    }
    clock.advanceTo(connectAt);
    const watch = model.watch(client.keepaliveMs, {
      onKick: (info) => {
        kickAt = info.at;
      },
      onTick: (info) => {
        if (info.at >= connectAt) ticks.push(info);
      },
    });
    for (const at of [...(client.inboundAt ?? [])].sort((a, b) => a - b)) {
      clock.advanceTo(at);
      if (kickAt !== null) break;
      watch.touch();
    }
    clock.advanceTo(untilMs);
    watch.stop();
  } finally {
    model.close();
  }
  return { kickAt, ticks };
}
