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
      "`max_keepalive` caps what a client may ask for (keepalive 0 counts as asking more): an MQTT 5 client is told max_keepalive as Server Keep Alive; a 3.1.1 client is refused (CONNACK 2) since 2.0.12 and unaffected before (from mosquitto's handle_connect.c, 2.0.11 and 2.0.12); raise it for long-keepalive clients, lower it to drop dead MQTT 5 clients sooner",
    configKey: "max_keepalive",
    unit: "seconds (default 65535 up to 2.0.15, 0 = no cap since 2.0.16)",
  },
  {
    code: "mosquitto-sweep",
    broker: "mosquitto",
    change:
      "keepalive is checked in a sweep about every 6 s at 1-s resolution (not configurable): a silent client goes up to 6 s after 1.5 × keepalive, an odd keepalive up to 0.5 s before it; ping at the keepalive, never lean on the 1.5× grace",
  },
  // EMQX, HiveMQ CE, VerneMQ: from the brokers' sources, not run (docs/brokers.md, src/keepalive/predict-*.ts).
  {
    code: "emqx-keepalive-multiplier",
    broker: "emqx",
    change:
      "EMQX ≥ 5.7.2 kicks at the keepalive check at which the client has been silent for ceil(KA × M) (default 1.5), checked every keepalive_check_interval clamped to [1 s, KA/2]: up to one check interval later after a PUBLISH, exactly then after a PINGREQ (from EMQX's source, not run); raise the multiplier for clients that ping late",
    configKey: "mqtt.keepalive_multiplier",
    unit: "factor of the client's keepalive (1 to 65535)",
  },
  {
    code: "emqx-keepalive-check-interval",
    broker: "emqx",
    change:
      "a smaller mqtt.keepalive_check_interval (default 30 s, never above KA/2) makes EMQX's kick window tighter; a deprecated mqtt.keepalive_backoff still sets the multiplier to 2 × backoff, even over `keepalive_multiplier = 1.5` (`mqdiag config emqx.conf` shows what applies)",
    configKey: "mqtt.keepalive_check_interval",
    unit: "duration (default 30s)",
  },
  {
    code: "emqx-upgrade-keepalive",
    broker: "emqx",
    change:
      "before 5.7.2 EMQX checks once per KA × M and kicks at the first check with nothing new since the previous one, so a client goes 1× to 2× KA × M after its last packet (emqx#11685); upgrade for a predictable window",
  },
  {
    code: "hivemq-client-keepalive",
    broker: "hivemq",
    change:
      "HiveMQ CE closes a client silent for ⌊1.5 × KA⌋ whole seconds (any inbound bytes count; no setting changes the factor, from HiveMQ's source, not run): the lever is the client's keepalive and its pinging",
    configKey: "keepalive (client CONNECT)",
    unit: "seconds",
  },
  {
    code: "vernemq-client-keepalive",
    broker: "vernemq",
    change:
      "VerneMQ checks every 0.75 × KA and kicks once 1.5 × KA has passed since the client's last frame, so the kick comes 1.5× to 2.25× KA after it (from VerneMQ's source, not run): the lever is the client's keepalive and its pinging",
    configKey: "keepalive (client CONNECT)",
    unit: "seconds",
  },
  {
    code: "rabbitmq-client-keepalive",
    broker: "rabbitmq",
    change:
      "RabbitMQ 3.10's MQTT plugin checks a client's received bytes every KA from its CONNECT and closes it at the second check in a row that finds none: 3 × KA after CONNECT for a silent client, 2× to 3× KA after its last bytes (measured on 3.10.8, no setting changes it): the lever is the client's keepalive and its pinging",
    configKey: "keepalive (client CONNECT)",
    unit: "seconds",
  },
  {
    code: "ejabberd-client-keepalive",
    broker: "ejabberd",
    change:
      "ejabberd's mod_mqtt closes a client round(1.5 × KA) whole seconds after its last inbound bytes (KA 1 → 2 s, 3 → 5 s, 5 → 8 s; measured on 23.01, no setting changes it): the lever is the client's keepalive and its pinging",
    configKey: "keepalive (client CONNECT)",
    unit: "seconds",
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
