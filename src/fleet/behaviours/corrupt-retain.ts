import { DEFAULT_ANSWER_TIMEOUT_MS, openRaw } from "../open-raw.js";
import type { RawClient } from "../raw-client.js";
import { rawFleetClient } from "../raw-fleet-client.js";
import { ScriptTimer } from "../script-timer.js";
import type { ClientContext, FleetClient } from "../types.js";

export interface CorruptRetainParams {
  topic: string;
  /** Clock ms the fresh subscriber waits for the retained message. */
  waitMessageMs: number;
}

/**
 * Publishes a retained message (QoS 1, so it is stored before we go on) and disconnects; then a fresh subscriber
 * (`<id>-sub`) asks for it. With the broker's corrupt-retained fault the stored copy no longer decodes and the
 * subscriber gets nothing: `notes.retainedReceived` on the subscriber's record says what it got. The publisher
 * deletes the retained message at the end (a zero-length retained PUBLISH), leaving nothing behind.
 */
export async function startCorruptRetain(
  ctx: ClientContext,
  params: CorruptRetainParams,
): Promise<FleetClient> {
  const answerMs = ctx.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  const publisher = await openRaw(ctx, "corrupt-retain");
  const connections: RawClient[] = [publisher];
  const timer = new ScriptTimer(ctx.clock);
  const payload = `mqdiag retained ${ctx.clientId}`;
  publisher.send({
    cmd: "publish",
    topic: params.topic,
    payload,
    qos: 1,
    messageId: 1,
    retain: true,
    dup: false,
  });
  await publisher.waitFor("puback", answerMs);
  publisher.disconnect();
  await publisher.closed;
  const script = (async () => {
    const sub = await openRaw(ctx, "fresh-subscriber", { clientId: `${ctx.clientId}-sub` });
    connections.push(sub);
    sub.send({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: params.topic, qos: 0 }] });
    const message = await sub.waitFor("publish", params.waitMessageMs);
    sub.record.notes.retainedReceived = message?.cmd === "publish" && message.payload.toString() === payload;
    if (timer.isStopped) return;
    if (sub.isOpen) {
      sub.send({ cmd: "publish", topic: params.topic, payload: "", qos: 0, retain: true, dup: false });
      sub.disconnect();
    }
    await sub.closed;
  })();
  return rawFleetClient(ctx.clientId, "corrupt-retain", connections, timer, script);
}
