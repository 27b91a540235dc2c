import {
  type BandwidthFault,
  type DelayFault,
  type Direction,
  type DropFault,
  directionsOf,
  type LatencyFault,
  type LinkSpec,
  PACKET_DIRECTION,
  type SlowCloseFault,
  type StallFault,
} from "./types.js";

/** The faults of one way of a link, by kind (resets act on connections, not on a way's bytes: see relay.ts). */
export interface WayFaults {
  latency: LatencyFault[];
  bandwidth: BandwidthFault[];
  stall: StallFault[];
  slowClose: SlowCloseFault[];
  drop: DropFault[];
  delay: DelayFault[];
}

export function wayFaults(spec: LinkSpec, way: Direction): WayFaults {
  const out: WayFaults = { latency: [], bandwidth: [], stall: [], slowClose: [], drop: [], delay: [] };
  for (const f of spec.faults) {
    switch (f.kind) {
      case "latency":
        if (directionsOf(f.direction).includes(way)) out.latency.push(f);
        break;
      case "bandwidth":
        if (directionsOf(f.direction).includes(way)) out.bandwidth.push(f);
        break;
      case "stall":
        if (directionsOf(f.direction).includes(way)) out.stall.push(f);
        break;
      case "slow-close":
        if (directionsOf(f.direction).includes(way)) out.slowClose.push(f);
        break;
      case "drop":
        if (PACKET_DIRECTION[f.packet] === way) out.drop.push(f);
        break;
      case "delay":
        if (PACKET_DIRECTION[f.packet] === way) out.delay.push(f);
        break;
      case "reset":
        break;
    }
  }
  return out;
}

/** True when nothing on this way needs the clock: bytes go straight through. */
export function isTransparent(f: WayFaults): boolean {
  return (
    f.latency.length +
      f.bandwidth.length +
      f.stall.length +
      f.slowClose.length +
      f.drop.length +
      f.delay.length ===
    0
  );
}

/** Whether this way needs whole MQTT packets (a packet-level fault). */
export function needsFrames(f: WayFaults): boolean {
  return f.drop.length + f.delay.length > 0;
}
