import { CLIENT_MODELS } from "../keepalive/clients/catalogue.js";
import { idlePingGap } from "../keepalive/clients/ranges.js";
import { DEFAULT_LOOP_INTERVAL_MS } from "../keepalive/clients/types.js";
import type { LibraryRhythm } from "./library-rhythm.js";

/** Timing slack on a library's gap range: scheduling on the client's host and the capture's own timestamps. */
const SLACK_MS = 50;

/**
 * The client-library models (src/keepalive/clients) as ping rhythms: each library's idle PINGREQ gap at a
 * keepalive, over every clock phase, for an application that drives it every 100 ms, widened by 50 ms. An idle
 * client's gaps can match several libraries (most ping about every keepalive); the distinctive ones are MQTT-C's
 * KA + 1 s and ESP-MQTT's KA/2.
 */
export function clientLibraryRhythms(oneWayLatencyMs: number): LibraryRhythm[] {
  // whole ms of latency: the ranges are computed once per library, keepalive and latency (a capture has many
  // connections alike)
  const latencyMs = Math.round(oneWayLatencyMs);
  return CLIENT_MODELS.map((model) => ({
    id: model.id,
    pingGapMs(keepaliveS: number) {
      const key = `${model.id}|${keepaliveS}|${latencyMs}`;
      let range = MEMO.get(key);
      if (!range) {
        const gap = idlePingGap(model, {
          keepaliveMs: keepaliveS * 1000,
          oneWayLatencyMs: latencyMs,
          loopIntervalMs: DEFAULT_LOOP_INTERVAL_MS,
        });
        range = gap
          ? { minMs: gap.minMs - SLACK_MS, maxMs: gap.maxMs + SLACK_MS }
          : { minMs: Number.POSITIVE_INFINITY, maxMs: Number.NEGATIVE_INFINITY };
        if (MEMO.size > MAX_MEMO) MEMO.clear();
        MEMO.set(key, range);
      }
      return range;
    },
  }));
}

const MEMO = new Map<string, { minMs: number; maxMs: number }>();
const MAX_MEMO = 10_000;
