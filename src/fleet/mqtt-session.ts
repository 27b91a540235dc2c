import { prng, seedFor } from "../core/prng.js";
import { connectMqttClient, openMqttConnection, type RecordedMqttClient } from "./mqtt-client.js";
import { NO_RECONNECT, type ReconnectPolicy, reconnectDelayMs } from "./reconnect-policy.js";
import { ScriptTimer } from "./script-timer.js";
import type { ClientContext, ClientRecord } from "./types.js";

/** An MQTT.js client that, after a drop, reconnects as its policy says, all on the clock. */
export interface MqttSession {
  record: ClientRecord;
  /** The latest connection (up, or the last one that was). */
  current(): RecordedMqttClient;
  /** Resolves when the session is over: its connection closed and no reconnect follows, or it was stopped. */
  done: Promise<void>;
  /** No more reconnects; a clean DISCONNECT on the live connection; resolves once every socket is closed. */
  stop(): Promise<void>;
}

/**
 * Connects (throwing UnreachableError without a CONNACK, as connectMqttClient), then keeps reconnecting after
 * each drop per `policy` (reconnect-policy.ts). A failed attempt (refused, closed, or no CONNACK within the
 * answer timeout) counts as one attempt of the backoff; a connection that came up starts the count again.
 */
export async function startMqttSession(
  ctx: ClientContext,
  record: ClientRecord,
  policy: ReconnectPolicy = NO_RECONNECT,
): Promise<MqttSession> {
  let current = await connectMqttClient(ctx, record);
  const timer = new ScriptTimer(ctx.clock);
  const rand = ctx.rand ?? prng(seedFor(policy.kind === "backoff" ? (policy.seed ?? 1) : 1, ctx.clientId));
  let stopped = false;
  const loop = async () => {
    for (;;) {
      await current.closed;
      for (let attempt = 1; ; attempt++) {
        const delay = reconnectDelayMs(policy, attempt, rand);
        if (delay === null || stopped || !(await timer.sleep(delay))) return;
        const next = await openMqttConnection(ctx, record);
        current = next.connection;
        if (stopped) return void (await current.end());
        if (next.connected) break;
        await current.closed;
      }
    }
  };
  const done = loop();
  return {
    record,
    current: () => current,
    done,
    async stop() {
      stopped = true;
      timer.stop();
      await current.end();
      await done;
    },
  };
}
