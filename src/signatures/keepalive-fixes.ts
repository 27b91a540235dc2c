import type { Fix } from "./types.js";

/** The keepalive settings that decide when a silent client is kicked, per broker (signatures.md). */
export const KEEPALIVE_FIXES: Fix[] = [
  {
    change:
      "NanoMQ: raise the multiplier so a client gets more than KA × M before the tick that kicks it (default 1.5 in code, 1.25 in the shipped nanomq.conf)",
    configKey: "mqtt.keepalive_multiplier",
    unit: "factor of the client's keepalive",
  },
  {
    change:
      "NanoMQ: the keepalive timer ticks every retry interval Q (first tick at 1.5·Q): a silent client goes d + Q·(⌊KA·M/Q⌋ + 1) after its last packet, so small keepalives are dominated by Q; a smaller Q makes the kick window tighter",
    configKey: "mqtt.retry_interval",
    unit: "duration (e.g. 10s; default 10 s)",
  },
  {
    change:
      "NanoMQ, old flat config: `keepalive_backoff=1250` is read as a multiplier of 1250 (clients are never kicked), not 1.25; write `keepalive_multiplier = 1.25` inside `mqtt { }` instead",
    configKey: "keepalive_backoff",
    unit: "factor (NOT per-mille)",
  },
  {
    change:
      "Client: ping within the keepalive (MQTT.js pings at ≈1× keepalive); subscriber-only clients must ping too, since brokers count only inbound packets",
    configKey: "keepalive (client CONNECT)",
    unit: "seconds",
  },
  {
    change:
      "mosquitto: checks about every 6 s at 1-s resolution, kicking after 1.5 × keepalive; cap or raise it",
    configKey: "max_keepalive",
    unit: "seconds",
  },
];
