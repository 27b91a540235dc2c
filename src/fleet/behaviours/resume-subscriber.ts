import type { Packet } from "mqtt-packet";
import type { Relay } from "../../link/relay.js";
import { startRelay } from "../../link/relay-host.js";
import type { LinkSpec } from "../../link/types.js";
import { DEFAULT_ANSWER_TIMEOUT_MS, openRaw } from "../open-raw.js";
import type { RawClient } from "../raw-client.js";
import { ScriptTimer } from "../script-timer.js";
import type { ClientContext, ClientRecord, FleetClient } from "../types.js";

export type ResumeLoseMode = "kick" | "reset" | "stall";

export interface ResumeSubscriberParams {
  /** CONNECT's clean session flag, on both connections. */
  cleanSession: boolean;
  qos: 0 | 1 | 2;
  /** How it loses its first connection. */
  lose: ResumeLoseMode;
}

/** What the subscriber got after coming back (payload indexes in arrival order; see count()). */
export interface ResumeArrivals {
  /** Payload indexes in arrival order (each message carries its index). */
  arrivals: number[];
  /** Clock ms of each arrival (parallel to `arrivals`). */
  arrivedAt: number[];
  dupFlags: number;
  /** The resumed CONNACK's session present flag (null: no CONNACK). */
  sessionPresent: boolean | null;
}

/** A FleetClient that session-resume drives: lose the connection, come back, tell what arrived. */
export interface ResumeSubscriberClient extends FleetClient {
  readonly topic: string;
  readonly params: ResumeSubscriberParams;
  /** The first connection's record (closedBy "broker" once a kick reached it). */
  readonly firstRecord: ClientRecord;
  /** Clock ms the relay started (its faults count from it), or null without one (kick). */
  readonly linkStartedAt: number | null;
  /** Clock ms after the relay's start at which its fault (reset, stall) begins, or null (kick). */
  readonly faultAfterMs: number | null;
  /** Comes back: same id and clean flag; subscribes again when the broker kept no session. */
  resume(): Promise<void>;
  arrived(): ResumeArrivals;
}

/**
 * session-resume's subscriber: a raw client that removes any session left under its id (a clean CONNECT and
 * DISCONNECT), subscribes at its QoS with its clean flag, loses the connection the chosen way, and on resume()
 * comes back with the same id and flag, noting what arrives on the new connection. It acknowledges every PUBLISH
 * (PUBACK; PUBREC, then PUBCOMP on PUBREL) on both connections.
 *   kick   it never pings: the broker's keepalive kicks it (its first record is a subscriber-only one);
 *   reset  it pings every keepalive/2 over a relay that resets both ways at 1 × keepalive;
 *   stall  the same, but the relay holds that connection from 1 × keepalive for good (new connections pass):
 *          the broker kicks it for silence, the client never hears, and comes back over a new connection.
 * Stopping: a clean DISCONNECT on the resumed connection. A persistent session stays on the broker until the next
 * run's start removes it: removing it at the end (a clean CONNECT) makes NanoMQ close the session's cached pipe —
 * `Object closed` → rv 139, a close no client sees in the run's own log lines.
 */
export async function startResumeSubscriber(
  ctx: ClientContext,
  params: ResumeSubscriberParams,
): Promise<ResumeSubscriberClient> {
  const answerMs = ctx.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  const topic = `mqdiag/session-resume/${ctx.clientId}`;
  const timer = new ScriptTimer(ctx.clock);
  const faultAfterMs = params.lose === "kick" ? null : ctx.keepaliveS * 1000;
  const got: ResumeArrivals = { arrivals: [], arrivedAt: [], dupFlags: 0, sessionPresent: null };

  const onPacket = (client: RawClient, p: Packet, counts: boolean) => {
    if (p.cmd === "connack" && counts) got.sessionPresent = p.sessionPresent;
    if (p.cmd === "pubrel") client.send({ cmd: "pubcomp", messageId: p.messageId });
    if (p.cmd !== "publish") return;
    if (p.qos === 1) client.send({ cmd: "puback", messageId: p.messageId });
    if (p.qos === 2) client.send({ cmd: "pubrec", messageId: p.messageId });
    if (!counts || p.topic !== topic) return;
    got.arrivals.push(Number(p.payload.toString()));
    got.arrivedAt.push(ctx.clock.now());
    if (p.dup) got.dupFlags++;
  };
  /** `counts`: the resumed connection, whose arrivals are noted (from its CONNACK on). */
  const connect = async (
    c: ClientContext,
    role: "subscriber-only" | "second-connection",
    counts: boolean,
  ) => {
    const client = await openRaw({ ...c, clean: params.cleanSession }, role, { connect: false });
    client.onPacket((p) => onPacket(client, p, counts));
    if (!(await client.connect(c.keepaliveS, answerMs, params.cleanSession))) {
      client.destroy();
      throw new Error(`no CONNACK for ${c.clientId}`);
    }
    return client;
  };
  const ping = async (client: RawClient) => {
    while ((await timer.sleep((ctx.keepaliveS * 1000) / 2)) && client.isOpen) client.send({ cmd: "pingreq" });
  };
  const wipe = async () => {
    const w = await openRaw({ ...ctx, clean: true }, "subscriber-only").catch(() => undefined);
    w?.disconnect();
    await w?.waitClosed(answerMs);
    w?.destroy();
  };

  await wipe();
  let relay: Relay | undefined;
  if (faultAfterMs !== null) {
    const link: LinkSpec = {
      faults:
        params.lose === "reset"
          ? [{ kind: "reset", atMs: faultAfterMs, direction: "both" }]
          : [{ kind: "stall", atMs: faultAfterMs, direction: "both", release: "strand", scope: "existing" }],
    };
    relay = await startRelay({ clock: ctx.clock, target: ctx.target, link });
  }
  const via = relay ? { ...ctx, target: { host: relay.host, port: relay.port } } : ctx;
  let first: RawClient;
  try {
    first = await connect(via, "subscriber-only", false);
  } catch (err) {
    await relay?.stop();
    throw err;
  }
  first.send({ cmd: "subscribe", messageId: 1, subscriptions: [{ topic, qos: params.qos }] });
  await first.waitFor("suback", answerMs);
  if (params.lose !== "kick") void ping(first);
  let resumed: RawClient | undefined;
  let stopped: Promise<void> | undefined;
  let markDone: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    markDone = resolve;
  });
  return {
    clientId: ctx.clientId,
    behaviour: "resume-subscriber",
    topic,
    params,
    firstRecord: first.record,
    linkStartedAt: relay?.startedAt ?? null,
    faultAfterMs,
    ...(relay ? { link: relay } : {}),
    records: () => (resumed ? [first.record, resumed.record] : [first.record]),
    done,
    async resume() {
      first.destroy();
      try {
        resumed = await connect(via, "second-connection", true);
      } catch {
        return;
      }
      if (got.sessionPresent === false)
        resumed.send({ cmd: "subscribe", messageId: 2, subscriptions: [{ topic, qos: params.qos }] });
      void ping(resumed);
    },
    arrived: () => got,
    stop() {
      stopped ??= (async () => {
        timer.stop();
        first.destroy();
        if (resumed?.isOpen) {
          resumed.disconnect();
          await resumed.waitClosed(answerMs);
        }
        resumed?.destroy();
        await relay?.stop();
        markDone();
      })();
      return stopped;
    },
  };
}
