import type { ScenarioDefinition } from "./types.js";

/** One line of the catalogue: what `--help` shows, and how to load the scenario when it runs. */
export interface CatalogueEntry {
  readonly name: string;
  /** One line: what the scenario does and what it shows. */
  readonly description: string;
  /** Imports the scenario's own file (with the broker, the fleet, MQTT.js): only when it runs or shows its help. */
  load(): Promise<ScenarioDefinition<unknown>>;
}

/**
 * Every scenario, in the order `all` runs them (the four field reports first). The CLI reads this at start-up for
 * `--help` and to check names; it must stay light: nothing here imports a scenario until `load` is called.
 * Adding a scenario: CONTRIBUTING.md, "Adding a scenario".
 */
export const SCENARIO_CATALOGUE: readonly CatalogueEntry[] = [
  {
    name: "late-ping",
    description: "pings on time once, then its next PINGREQ late (--ping-at × keepalive) or never: kicked",
    load: async () => (await import("./late-ping.js")).latePing,
  },
  {
    name: "tcp-rst",
    description: "resets its TCP connection (SO_LINGER 0): the peer-gone lines, and no keepalive kick",
    load: async () => (await import("./tcp-rst.js")).tcpRst,
  },
  {
    name: "malformed-packet",
    description: "sends a named malformed packet after CONNECT (or instead of it): the variant's line and rv",
    load: async () => (await import("./malformed-packet.js")).malformedPacket,
  },
  {
    name: "corrupt-retain",
    description:
      "a retained message whose stored copy is corrupted: a fresh subscriber asks for it and gets nothing",
    load: async () => (await import("./corrupt-retain.js")).corruptRetain,
  },
  {
    name: "subscriber-only",
    description:
      "subscribes and receives a steady stream, never pings: kicked, since only inbound packets count",
    load: async () => (await import("./subscriber-only.js")).subscriberOnly,
  },
  {
    name: "session-takeover",
    description: "a second connection with the same client id: the broker closes the first [MQTT-3.1.4-2]",
    load: async () => (await import("./session-takeover.js")).sessionTakeover,
  },
  {
    name: "fin-close",
    description: "closes its TCP connection (FIN) without DISCONNECT: the same peer-gone lines as a reset",
    load: async () => (await import("./fin-close.js")).finClose,
  },
  {
    name: "no-connect",
    description: "opens TCP and never sends CONNECT: the broker gives up after its connect timeout",
    load: async () => (await import("./no-connect.js")).noConnect,
  },
  {
    name: "keepalive-budget",
    description:
      "the largest ping interval that always survives and the smallest always kicked, checked live",
    load: async () => (await import("./keepalive-budget.js")).keepaliveBudgetScenario,
  },
  {
    name: "network-stall",
    description:
      "the link stalls both ways (half-open): the client's own keepalive races the broker's; a reconnect takes the old session over, or the broker kicks first",
    load: async () => (await import("./network-stall.js")).networkStall,
  },
  {
    name: "pingresp-lost",
    description:
      "the broker's PINGRESPs are lost: the client times out while the broker sees a healthy client; its reconnect takes the old session over",
    load: async () => (await import("./pingresp-lost.js")).pingrespLost,
  },
  {
    name: "half-open",
    description:
      "pings on time, then its link goes silent both ways for good (no FIN, no RST): only the broker's keepalive ends the connection",
    load: async () => (await import("./half-open.js")).halfOpen,
  },
  {
    name: "high-latency",
    description:
      "latency ± jitter on the link: the largest one-way delay a keepalive configuration survives, and who gives up first past it",
    load: async () => (await import("./high-latency.js")).highLatency,
  },
  {
    name: "session-resume",
    description:
      "a subscriber loses its connection, messages are published meanwhile, it comes back: what a persistent session keeps",
    load: async () => (await import("./session-resume.js")).sessionResume,
  },
  {
    name: "reconnect-storm",
    description: "many clients dropped at once reconnect: with no backoff, and with backoff + jitter",
    load: async () => (await import("./reconnect-storm.js")).reconnectStorm,
  },
  {
    name: "client-library",
    description:
      "one idle client of a client library (--client: the real one where it runs here, its model otherwise): kicked or not",
    load: async () => (await import("./client-library.js")).clientLibrary,
  },
];

/** The scenarios' names, in the catalogue's order. */
export const SCENARIO_NAMES: readonly string[] = SCENARIO_CATALOGUE.map((e) => e.name);
