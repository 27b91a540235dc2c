import type { Fix } from "./types.js";

/** The keepalive settings that decide when a silent client is kicked, per broker (docs/broker-facts.md). */
export const KEEPALIVE_FIXES: Fix[] = [
  {
    code: "nanomq-keepalive-multiplier",
    broker: "nanomq",
    change:
      "raise the multiplier so a client gets more than KA × M before the tick that kicks it (default 1.5 in code, 1.25 in the shipped nanomq.conf)",
    configKey: "mqtt.keepalive_multiplier",
    unit: "factor of the client's keepalive",
  },
  {
    code: "nanomq-retry-interval",
    broker: "nanomq",
    change:
      "the keepalive timer ticks every retry interval Q (first tick at 1.5·Q): a silent client goes d + Q·(⌊KA·M/Q⌋ + 1) after its last packet, so small keepalives are dominated by Q; a smaller Q makes the kick window tighter",
    configKey: "mqtt.retry_interval",
    unit: "duration (e.g. 10s; default 10 s)",
  },
  {
    code: "nanomq-keepalive-backoff-trap",
    broker: "nanomq",
    change:
      "old flat config: `keepalive_backoff=1250` is read as a multiplier of 1250 (clients are never kicked), not 1.25; write `keepalive_multiplier = 1.25` inside `mqtt { }` instead",
    configKey: "keepalive_backoff",
    unit: "factor (NOT per-mille)",
  },
  {
    code: "mosquitto-client-keepalive",
    broker: "mosquitto",
    change:
      "the lever is the client's keepalive: mosquitto kicks after ⌊1.5 × keepalive⌋ s of silence, so raise the keepalive of clients that cannot ping more often, and make them ping within it",
    configKey: "keepalive (client CONNECT)",
    unit: "seconds",
  },
  {
    code: "mosquitto-max-keepalive",
    broker: "mosquitto",
    change:
      "`max_keepalive` caps what a client may ask for: an MQTT 5 client asking more is told max_keepalive as Server Keep Alive, a 3.1.1 client asking more is refused; raise it for long-keepalive clients, lower it to drop dead MQTT 5 clients sooner",
    configKey: "max_keepalive",
    unit: "seconds (default 65535)",
  },
  {
    code: "mosquitto-sweep",
    broker: "mosquitto",
    change:
      "keepalive is checked in a sweep about every 6 s at 1-s resolution (not configurable): a silent client goes up to 6 s after 1.5 × keepalive, an odd keepalive up to 0.5 s before it; ping at the keepalive, never lean on the 1.5× grace",
  },
  {
    code: "client-ping-within-keepalive",
    broker: "any",
    change:
      "ping within the keepalive (MQTT.js pings at ≈1× keepalive); subscriber-only clients must ping too, since brokers count only inbound packets",
    configKey: "keepalive (client CONNECT)",
    unit: "seconds",
  },
];
