import type { RawSession } from "../mqtt-wire/raw-session.js";
import { startSession } from "./check-session.js";
import type { CheckContext } from "./types.js";

/** The will topic of one probe session: `<prefix>/<run id>/will/<client id>`. */
export function willTopic(ctx: CheckContext, clientId: string): string {
  return `${willRoot(ctx)}/${clientId}`;
}

const willRoot = (ctx: CheckContext) =>
  `${ctx.options.retainPrefix.replace(/\/+$/, "")}/${ctx.options.runId}/will`;

/** A subscriber to every will of this run, recording when each arrives (clock ms). */
export interface WillWatcher {
  arrivals: Map<string, number>;
  /** Resolves with the arrival time of `clientId`'s will, or undefined after `timeoutMs`. */
  waitFor(clientId: string, timeoutMs: number): Promise<number | undefined>;
  close(): void;
}

export async function startWillWatcher(ctx: CheckContext): Promise<WillWatcher | string> {
  const started = await startSession(ctx, "will-watch", 0);
  if (!started.ok) return started.reason;
  const { session } = started;
  // [MQTT-3.1.2-21] (5.0) asked for no keepalive (0), it must still keep the one a Server Keep Alive imposes: a
  // PINGREQ every half of it, or the broker kicks the watcher and every will after that goes unseen
  const told = started.connack.properties?.serverKeepAlive ?? 0;
  const pinger =
    told > 0
      ? ctx.options.clock.setInterval(
          () => {
            if (!session.isClosed) session.send({ cmd: "pingreq" }, ctx.version);
          },
          (told * 1000) / 2,
        )
      : undefined;
  const root = willRoot(ctx);
  const arrivals = new Map<string, number>();
  const listeners = new Set<() => void>();
  session.onPacket((p) => {
    if (p.cmd !== "publish" || !p.topic.startsWith(`${root}/`)) return;
    arrivals.set(p.topic.slice(root.length + 1), ctx.options.clock.now());
    for (const l of listeners) l();
  });
  session.send(
    { cmd: "subscribe", messageId: 1, subscriptions: [{ topic: `${root}/#`, qos: 0 }] },
    ctx.version,
  );
  const suback = await session.waitFor("suback", ctx.options.timeoutMs);
  if (!suback) {
    ctx.options.clock.clear(pinger);
    session.destroy();
    return "no-suback";
  }
  return {
    arrivals,
    waitFor: (clientId, timeoutMs) => waitArrival(ctx, session, arrivals, listeners, clientId, timeoutMs),
    close() {
      ctx.options.clock.clear(pinger);
      if (!session.isClosed) session.send({ cmd: "disconnect" }, ctx.version);
      session.destroy();
    },
  };
}

function waitArrival(
  ctx: CheckContext,
  session: RawSession,
  arrivals: Map<string, number>,
  listeners: Set<() => void>,
  clientId: string,
  timeoutMs: number,
): Promise<number | undefined> {
  const { clock } = ctx.options;
  const known = arrivals.get(clientId);
  if (known !== undefined || session.isClosed) return Promise.resolve(known);
  return new Promise((resolve) => {
    const done = (at: number | undefined) => {
      clock.clear(timer);
      listeners.delete(check);
      resolve(at);
    };
    const check = () => {
      const at = arrivals.get(clientId);
      if (at !== undefined) done(at);
    };
    const timer = clock.setTimeout(() => done(undefined), timeoutMs);
    listeners.add(check);
  });
}
