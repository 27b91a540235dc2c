import type { Packet } from "mqtt-packet";
import { openRaw } from "../fleet/open-raw.js";
import type { RawClient } from "../fleet/raw-client.js";
import { ScriptTimer } from "../fleet/script-timer.js";
import type { ClientContext } from "../fleet/types.js";
import { type Relay, startRelay } from "../link/relay.js";
import type { LinkSpec } from "../link/types.js";
import type { LoseMode, Qos } from "./session-options.js";
import type { ResumeCount } from "./session-outcome.js";

export interface ResumeCase {
  cleanSession: boolean;
  qos: Qos;
}

/**
 * One subscriber of session-resume: a raw client that subscribes at its QoS (clean session as its case says),
 * loses its connection the chosen way, and comes back with the same id and flag, counting what arrives by payload
 * index. It acknowledges every PUBLISH (PUBACK; PUBREC, then PUBCOMP on PUBREL), on both connections.
 *   kick   it never pings: the broker's keepalive kicks it;
 *   reset  it pings every keepalive/2 over a relay that resets both ways at 1 × keepalive;
 *   stall  the same, but the relay holds that connection from 1 × keepalive for good (new connections pass):
 *          the broker kicks it for silence, the client never hears, and comes back over a new connection.
 */
export class ResumeSubscriber {
  readonly clientId: string;
  readonly topic: string;
  private relay: Relay | undefined;
  private first: RawClient | undefined;
  private resumed: RawClient | undefined;
  private readonly timer: ScriptTimer;
  private sessionPresent: boolean | null = null;
  private readonly arrivals: number[] = [];
  private dupFlags = 0;
  /** Clock ms the link's fault starts (reset and stall). */
  readonly faultAt: number | null;

  constructor(
    private readonly ctx: ClientContext,
    readonly c: ResumeCase,
    private readonly lose: LoseMode,
  ) {
    this.clientId = ctx.clientId;
    this.topic = `mqdiag/session-resume/${ctx.clientId}`;
    this.timer = new ScriptTimer(ctx.clock);
    this.faultAt = lose === "kick" ? null : ctx.keepaliveS * 1000;
  }

  /** Removes any session left under this id (clean connect + DISCONNECT), then connects and subscribes. */
  async start(answerMs: number): Promise<void> {
    const wipe = await openRaw({ ...this.ctx, clean: true }, "subscriber-only");
    wipe.disconnect();
    await wipe.waitClosed(answerMs);
    wipe.destroy();
    let ctx = this.ctx;
    if (this.faultAt !== null) {
      const link: LinkSpec = {
        faults:
          this.lose === "reset"
            ? [{ kind: "reset", atMs: this.faultAt, direction: "both" }]
            : [
                {
                  kind: "stall",
                  atMs: this.faultAt,
                  direction: "both",
                  release: "strand",
                  scope: "existing",
                },
              ],
      };
      this.relay = await startRelay({ clock: this.ctx.clock, target: this.ctx.target, link });
      ctx = { ...this.ctx, target: { host: this.relay.host, port: this.relay.port } };
    }
    this.first = await this.connect(ctx, "subscriber-only", false);
    this.first.send({
      cmd: "subscribe",
      messageId: 1,
      subscriptions: [{ topic: this.topic, qos: this.c.qos }],
    });
    await this.first.waitFor("suback", answerMs);
    if (this.lose !== "kick") void this.ping(this.first);
  }

  /** The first connection's record (closedBy "broker" once a kick reached it). */
  get firstRecord() {
    return this.first?.record;
  }

  /** Clock ms the link started (faults count from it), or null without a link. */
  get linkStartedAt(): number | null {
    return this.relay?.startedAt ?? null;
  }

  /** Comes back: same id and clean flag; subscribes again when the broker kept no session. */
  async resume(): Promise<void> {
    this.first?.destroy();
    const target = this.relay ? { host: this.relay.host, port: this.relay.port } : this.ctx.target;
    try {
      this.resumed = await this.connect({ ...this.ctx, target }, "second-connection", true);
    } catch {
      return;
    }
    if (this.sessionPresent === false)
      this.resumed.send({
        cmd: "subscribe",
        messageId: 2,
        subscriptions: [{ topic: this.topic, qos: this.c.qos }],
      });
    void this.ping(this.resumed);
  }

  count(published: number, expected: { delivered: number; upTo: number }, dropped: boolean): ResumeCount {
    const distinct = new Set(this.arrivals.filter((i) => i >= 0 && i < published));
    const firsts = this.arrivals.filter((i, k) => this.arrivals.indexOf(i) === k);
    const inOrder = firsts.every((i, k) => k === 0 || i > (firsts[k - 1] ?? -1));
    return {
      cleanSession: this.c.cleanSession,
      qos: this.c.qos,
      published,
      delivered: distinct.size,
      lost: published - distinct.size,
      duplicated: this.arrivals.length - firsts.length,
      order: firsts.length === 0 ? "none" : inOrder ? "in-order" : "out-of-order",
      sessionPresent: this.sessionPresent,
      dupFlags: this.dupFlags,
      expectedDelivered: expected.delivered,
      expectedUpTo: expected.upTo,
      dropped,
    };
  }

  /** A clean DISCONNECT on the resumed connection, then the session removed (clean connect) and the link closed. */
  async stop(answerMs: number): Promise<void> {
    this.timer.stop();
    this.first?.destroy();
    if (this.resumed?.isOpen) {
      this.resumed.disconnect();
      await this.resumed.waitClosed(answerMs);
    }
    this.resumed?.destroy();
    await this.relay?.stop();
    if (!this.c.cleanSession) {
      const wipe = await openRaw({ ...this.ctx, clean: true }, "subscriber-only").catch(() => undefined);
      wipe?.disconnect();
      await wipe?.waitClosed(answerMs);
      wipe?.destroy();
    }
  }

  /** `counts`: the resumed connection, whose arrivals are counted (from its CONNACK on). */
  private async connect(
    ctx: ClientContext,
    role: "subscriber-only" | "second-connection",
    counts: boolean,
  ): Promise<RawClient> {
    const client = await openRaw({ ...ctx, clean: this.c.cleanSession }, role, { connect: false });
    client.onPacket((p) => this.onPacket(client, p, counts));
    const ok = await client.connect(ctx.keepaliveS, ctx.answerTimeoutMs ?? 10_000, this.c.cleanSession);
    if (!ok) {
      client.destroy();
      throw new Error(`no CONNACK for ${ctx.clientId}`);
    }
    return client;
  }

  private async ping(client: RawClient): Promise<void> {
    while ((await this.timer.sleep((this.ctx.keepaliveS * 1000) / 2)) && client.isOpen)
      client.send({ cmd: "pingreq" });
  }

  private onPacket(client: RawClient, p: Packet, counts: boolean): void {
    if (p.cmd === "connack" && counts) this.sessionPresent = p.sessionPresent;
    if (p.cmd === "pubrel") client.send({ cmd: "pubcomp", messageId: p.messageId });
    if (p.cmd !== "publish") return;
    if (p.qos === 1) client.send({ cmd: "puback", messageId: p.messageId });
    if (p.qos === 2) client.send({ cmd: "pubrec", messageId: p.messageId });
    if (!counts || p.topic !== this.topic) return;
    this.arrivals.push(Number(p.payload.toString()));
    if (p.dup) this.dupFlags++;
  }
}
