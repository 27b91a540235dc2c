import { DEFAULT_PROFILE_OPTIONS, type NanomqVersion, type ProfileName } from "../../../src/core/profile.js";
import type { KeepaliveParams } from "../../../src/keepalive/predict.js";

/** One row: a client (CONNECT time, inbound packet times) under a profile, and when it must be kicked. */
export interface KickRow {
  name: string;
  profile: ProfileName;
  retryIntervalMs?: number;
  keepaliveMultiplier?: number;
  nanomqVersion?: NanomqVersion;
  keepaliveMs: number;
  connectAt?: number;
  inboundAt?: number[];
  /** mosquitto: the first sweep (a whole second; the runtime starts it at the whole second after the first
   * watch). Default connectAt. */
  sweepPhaseMs?: number;
  /** Clock ms of the kick, null = never. */
  kickAt: number | null;
}

export function paramsOf(row: KickRow): KeepaliveParams {
  return {
    profile: row.profile,
    retryIntervalMs: row.retryIntervalMs ?? DEFAULT_PROFILE_OPTIONS.retryIntervalMs,
    keepaliveMultiplier: row.keepaliveMultiplier ?? DEFAULT_PROFILE_OPTIONS.keepaliveMultiplier,
    nanomqVersion: row.nanomqVersion ?? DEFAULT_PROFILE_OPTIONS.nanomqVersion,
  };
}

const S = 1000;

/** Q = 10 s and M = 1.25 unless a row says otherwise (the shipped nanomq.conf). */
export const KICK_TABLE: KickRow[] = [
  // docs/broker-facts.md worked examples
  { name: "nanomq KA=2 silent → 25 s", profile: "nanomq", keepaliveMs: 2 * S, kickAt: 25 * S },
  { name: "nanomq KA=60 silent → 95 s", profile: "nanomq", keepaliveMs: 60 * S, kickAt: 95 * S },
  {
    name: "nanomq KA=60 last ping at 61 s → 84 s after it (80–90)",
    profile: "nanomq",
    keepaliveMs: 60 * S,
    inboundAt: [30 * S, 61 * S],
    kickAt: 145 * S,
  },
  {
    name: "nanomq ping exactly on a tick: the tick runs first, d = Q → 90 s after it",
    profile: "nanomq",
    keepaliveMs: 60 * S,
    inboundAt: [35 * S],
    kickAt: 125 * S,
  },
  {
    name: "nanomq ping just after CONNECT, before the first tick",
    profile: "nanomq",
    keepaliveMs: 60 * S,
    inboundAt: [12 * S],
    kickAt: 95 * S,
  },
  {
    name: "nanomq M=1.5 (code default) KA=10 → N=2",
    profile: "nanomq",
    keepaliveMultiplier: 1.5,
    keepaliveMs: 10 * S,
    kickAt: 35 * S,
  },
  {
    name: "nanomq KA·M an exact multiple of Q (30 s / 10 s) → N=4",
    profile: "nanomq",
    keepaliveMultiplier: 1.5,
    keepaliveMs: 20 * S,
    kickAt: 55 * S,
  },
  {
    name: "nanomq Q=5 s KA=30 → 1.5Q + 8Q",
    profile: "nanomq",
    retryIntervalMs: 5 * S,
    keepaliveMs: 30 * S,
    kickAt: 47_500,
  },
  {
    name: "nanomq Q=1 s M=1.1 KA=10: KA·M = 11 s exactly, not 11.000000000000002",
    profile: "nanomq",
    retryIntervalMs: 1 * S,
    keepaliveMultiplier: 1.1,
    keepaliveMs: 10 * S,
    kickAt: 13_500,
  },
  {
    name: "nanomq kicked in a gap before a late ping",
    profile: "nanomq",
    keepaliveMs: 2 * S,
    inboundAt: [30 * S],
    kickAt: 25 * S,
  },
  {
    name: "nanomq CONNECT at 3 s",
    profile: "nanomq",
    keepaliveMs: 2 * S,
    connectAt: 3 * S,
    kickAt: 28 * S,
  },
  { name: "nanomq KA=0 never (latest)", profile: "nanomq", keepaliveMs: 0, kickAt: null },
  {
    name: "nanomq KA=0 kicked before 0.24.12",
    profile: "nanomq",
    nanomqVersion: [0, 24, 11],
    keepaliveMs: 0,
    kickAt: 25 * S,
  },
  {
    name: "nanomq keepalive_backoff=1250 read as M: ~20.8 h",
    profile: "nanomq",
    keepaliveMultiplier: 1250,
    keepaliveMs: 60 * S,
    kickAt: 15 * S + 7501 * 10 * S,
  },
  // spec
  { name: "spec KA=60 silent → 90 s", profile: "spec", keepaliveMs: 60 * S, kickAt: 90 * S },
  {
    name: "spec KA=60 pings reset the deadline",
    profile: "spec",
    keepaliveMs: 60 * S,
    inboundAt: [10 * S, 50 * S],
    kickAt: 140 * S,
  },
  {
    name: "spec a packet at exactly 1.5 × KA is too late",
    profile: "spec",
    keepaliveMs: 10 * S,
    inboundAt: [15 * S, 20 * S],
    kickAt: 15 * S,
  },
  { name: "spec KA=0 never", profile: "spec", keepaliveMs: 0, kickAt: null },
  // mosquitto
  { name: "mosquitto KA=60 silent → 96 s", profile: "mosquitto", keepaliveMs: 60 * S, kickAt: 96 * S },
  { name: "mosquitto KA=5: 3*5/2 = 7 → 12 s", profile: "mosquitto", keepaliveMs: 5 * S, kickAt: 12 * S },
  {
    name: "mosquitto KA=60 sweeps from 3 s, CONNECT at 10.4 s",
    profile: "mosquitto",
    keepaliveMs: 60 * S,
    connectAt: 10_400,
    sweepPhaseMs: 3000,
    kickAt: 105_000,
  },
  {
    name: "mosquitto KA=3: 3*3/2 = 4, kicked 4.3 s after a ping at 13.7 s (early, as measured)",
    profile: "mosquitto",
    keepaliveMs: 3 * S,
    inboundAt: [4000, 8000, 13_700],
    kickAt: 18 * S,
  },
  {
    name: "mosquitto KA=10 ping at 14.5 s: a sweep right at second 30",
    profile: "mosquitto",
    keepaliveMs: 10 * S,
    inboundAt: [14_500],
    kickAt: 30 * S,
  },
  {
    name: "mosquitto KA=1 CONNECT at 0.5 s: sweeps from 1 s, kicked 6.5 s after",
    profile: "mosquitto",
    keepaliveMs: 1 * S,
    connectAt: 500,
    sweepPhaseMs: 1000,
    kickAt: 7000,
  },
  { name: "mosquitto KA=0 never", profile: "mosquitto", keepaliveMs: 0, kickAt: null },
];
