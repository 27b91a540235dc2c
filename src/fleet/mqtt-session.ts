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

/** A session that starts down (resumeMqttSession): no connection until its first reconnect came up. */
export interface ResumedMqttSession extends Omit<MqttSession, "current"> {
  current(): RecordedMqttClient | undefined;
}

/**
 * Connects (throwing UnreachableError without a CONNACK, as connectMqttClient), then keeps reconnecting after
 * each drop per `policy` (reconnect-policy.ts). A failed attempt (refused, closed, or no CONNACK within the
 * answer timeout) counts as one attempt of the backoff; a connection that came up starts the count again.
 * The record's notes count the attempts (`reconnectAttempts`) and those that failed (`reconnectFailures`).
 */
export async function startMqttSession(
  ctx: ClientContext,
  record: ClientRecord,
  policy: ReconnectPolicy = NO_RECONNECT,
): Promise<MqttSession> {
  const first = await connectMqttClient(ctx, record);
  const session = runSession(ctx, record, policy, first);
  return { ...session, current: () => session.current() ?? first };
}

/**
 * The same for a client whose connection is already down (a raw behaviour's, kicked or reset): the first attempt
 * waits the policy's first delay, and a policy of none never connects. The connections share `record`.
 */
export function resumeMqttSession(
  ctx: ClientContext,
  record: ClientRecord,
  policy: ReconnectPolicy,
): ResumedMqttSession {
  return runSession(ctx, record, policy, undefined);
}

function runSession(
  ctx: ClientContext,
  record: ClientRecord,
  policy: ReconnectPolicy,
  first: RecordedMqttClient | undefined,
): ResumedMqttSession {
  let current = first;
  const timer = new ScriptTimer(ctx.clock);
  const rand = ctx.rand ?? prng(seedFor(policy.kind === "backoff" ? (policy.seed ?? 1) : 1, ctx.clientId));
  let stopped = false;
  const count = (note: string) => {
    record.notes[note] = Number(record.notes[note] ?? 0) + 1;
  };
  const loop = async () => {
    for (;;) {
      if (current) await current.closed;
      for (let attempt = 1; ; attempt++) {
        const delay = reconnectDelayMs(policy, attempt, rand);
        if (delay === null || stopped || !(await timer.sleep(delay))) return;
        count("reconnectAttempts");
        const next = await openMqttConnection(ctx, record);
        current = next.connection;
        if (stopped) return void (await current.end());
        if (next.connected) break;
        count("reconnectFailures");
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
      await current?.end();
      await done;
    },
  };
}
