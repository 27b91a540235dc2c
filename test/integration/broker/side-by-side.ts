import { afterAll, beforeAll } from "vitest";
import { type Broker, type BrokerOptions, startBroker } from "../../../src/broker/index.js";
import { startMosquitto } from "../../helpers/mosquitto.js";
import { startNanomq } from "../../helpers/nanomq.js";
import { type Env, endAll, realSleep } from "./mqtt5-procedures.js";

/** What a side-by-side procedure is given of either broker: its address, and an Env on real time. */
export interface Side {
  url: string;
  port: number;
  env: Env;
}

interface RealBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface SideBySide<R extends RealBroker> {
  readonly real: R;
  readonly embedded: Broker;
  /** Runs one procedure on the real broker and the embedded one at once: [real, embedded]. */
  both<T>(run: (b: Side) => Promise<T>): Promise<[T, T]>;
}

const side = (b: { url: string; port: number }): Side => ({
  url: b.url,
  port: b.port,
  env: { url: b.url, sleep: realSleep },
});

/**
 * A real broker and the embedded broker on the profile that stands for it, side by side in one describe: both start
 * in beforeAll (register any beforeAll that needs them after this call), and after all the procedures' MQTT.js
 * clients end and both brokers stop. Ending clients after each test stays with the test file (`afterEach(endAll)`).
 */
export function sideBySide<R extends RealBroker>(
  startReal: () => Promise<R>,
  profile: BrokerOptions,
): SideBySide<R> {
  let real: R | undefined;
  let embedded: Broker | undefined;
  beforeAll(async () => {
    real = await startReal();
    embedded = await startBroker({ port: 0, ...profile });
  });
  afterAll(async () => {
    await endAll();
    await real?.stop();
    await embedded?.close();
  });
  const started = <T>(b: T | undefined): T => {
    if (b === undefined) throw new Error("side by side: the brokers start in beforeAll");
    return b;
  };
  return {
    get real() {
      return started(real);
    },
    get embedded() {
      return started(embedded);
    },
    both: (run) => Promise.all([run(side(started(real))), run(side(started(embedded)))]),
  };
}

/** The real mosquitto and the embedded mosquitto profile. */
export const mosquittoSideBySide = () => sideBySide(() => startMosquitto(), { profile: "mosquitto" });

/** The real NanoMQ 0.25.3 (retry_interval 1 s) and the embedded nanomq profile of that version. */
export const nanomq025SideBySide = () =>
  sideBySide(() => startNanomq("0.25.3", { retryIntervalS: 1 }), {
    profile: "nanomq",
    nanomqVersion: [0, 25, 3],
    retryIntervalMs: 1000,
  });
