import type { Fix, FixBroker } from "./types.js";

/** Every broker tag, in the order explain groups fixes (types.ts stays types only: nothing to load at run time). */
export const FIX_BROKERS: readonly FixBroker[] = [
  "nanomq",
  "mosquitto",
  "ejabberd",
  "rabbitmq",
  "emqx",
  "hivemq",
  "vernemq",
  "any",
];

/** A broker whose own levers mqdiag knows. */
export type KnownBroker = Exclude<FixBroker, "any">;

/** The broker a log dialect or a profile speaks for; undefined for the spec profile, mixed or unknown logs. */
export function brokerOf(dialect: string | undefined): KnownBroker | undefined {
  return FIX_BROKERS.find((b) => b !== "any" && b === dialect) as KnownBroker | undefined;
}

/**
 * The fixes that apply to `broker`: its own levers first, then those for any broker; another broker's are left
 * out. Without a broker, every fix, grouped NanoMQ, mosquitto, ejabberd, RabbitMQ, EMQX, HiveMQ, VerneMQ,
 * any.
 */
export function fixesFor(fixes: readonly Fix[], broker: KnownBroker | undefined): Fix[] {
  if (broker === undefined) return fixGroups(fixes).flatMap((g) => g.fixes);
  return [...fixes.filter((f) => f.broker === broker), ...fixes.filter((f) => f.broker === "any")];
}

/** The fixes grouped by the broker they apply to, in FIX_BROKERS order; empty groups left out. */
export function fixGroups(fixes: readonly Fix[]): { broker: FixBroker; fixes: Fix[] }[] {
  return FIX_BROKERS.map((broker) => ({ broker, fixes: fixes.filter((f) => f.broker === broker) })).filter(
    (g) => g.fixes.length > 0,
  );
}

/** How a broker tag reads in a heading. */
export const FIX_BROKER_NAMES: Readonly<Record<FixBroker, string>> = {
  nanomq: "NanoMQ",
  mosquitto: "mosquitto",
  ejabberd: "ejabberd mod_mqtt",
  rabbitmq: "RabbitMQ MQTT plugin",
  emqx: "EMQX, from its source",
  hivemq: "HiveMQ CE, from its source",
  vernemq: "VerneMQ, from its source",
  any: "any broker",
};
