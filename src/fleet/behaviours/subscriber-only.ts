import { DEFAULT_ANSWER_TIMEOUT_MS, openRaw } from "../open-raw.js";
import { rawFleetClient } from "../raw-fleet-client.js";
import { ScriptTimer } from "../script-timer.js";
import type { ClientContext, FleetClient } from "../types.js";

export interface SubscriberOnlyParams {
  topic: string;
  /** Clock ms between the feeder's PUBLISHes. Default keepalive / 4. */
  feedIntervalMs?: number;
}

/**
 * Subscribes and then only receives: a feeder connection (`<id>-feed`) publishes a steady stream to it, and the
 * subscriber never sends another packet. Brokers count only inbound packets, so it is kicked anyway.
 */
export async function startSubscriberOnly(
  ctx: ClientContext,
  params: SubscriberOnlyParams,
): Promise<FleetClient> {
  const sub = await openRaw(ctx, "subscriber-only");
  sub.send({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic: params.topic, qos: 0 }] });
  await sub.waitFor("suback", ctx.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS);
  const feeder = await openRaw({ ...ctx, control: false }, "feeder", { clientId: `${ctx.clientId}-feed` });
  const timer = new ScriptTimer(ctx.clock);
  const every = params.feedIntervalMs ?? (ctx.keepaliveS * 1000) / 4;
  const script = (async () => {
    let n = 0;
    while ((await timer.sleep(every)) && feeder.isOpen && sub.isOpen) {
      feeder.send({
        cmd: "publish",
        topic: params.topic,
        payload: `tick ${++n}`,
        qos: 0,
        retain: false,
        dup: false,
      });
    }
    if (feeder.isOpen && !timer.isStopped) feeder.disconnect();
  })();
  return rawFleetClient(ctx.clientId, "subscriber-only", [sub, feeder], timer, script);
}
