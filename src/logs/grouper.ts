import type { IncidentKind } from "../signatures/incident-kinds.js";
import type { Incident, LogEvent } from "./incident.js";
import type { ConnectInfo, KickCheck } from "./kick-window.js";
import { MALFORMED_RV, type Open, preferThread, type Stage, UNKNOWN } from "./open-incident.js";
import type { PipeClose } from "./pipe-close.js";
import type { LogTime } from "./timestamp.js";

/**
 * Groups catalogue messages into incidents, following the sequences of docs/broker-facts.md. Lines of one incident are
 * printed within milliseconds but often by different threads (the kick by the timer thread, the recv error and
 * its rv by the pipe's receive callback), so a follow-up line attaches to the oldest open incident awaiting it,
 * preferring one on the same thread; when the candidates are of different kinds, the incident says it guessed.
 * State is bounded: open incidents expire WINDOW_MS (log time) after their last line, or MAX_OPEN at most.
 *
 * Clients are named only from lines that name them as part of the incident itself (mosquitto's lines all do), and
 * from NanoMQ 0.25's `pipe close!` line (pushClose). NanoMQ's `<id> offline!` lines are never attached: they
 * interleave across threads, a clean DISCONNECT prints one too, and a kicked persistent session prints none, so an
 * offline line beside a kick proves nothing.
 */
export const WINDOW_MS = 2000;
/** rvs that end a malformed-packet incident (17 too long a length, 129 malformed, 130 protocol, 149 too large). */
const MALFORMED_RVS = new Set([17, 129, 130, 149]);
const WINDOW_LINES = 5000;
const MAX_OPEN = 4096;
/** `pipe close!` reason codes of a malformed packet: the rv that ended its incident (17 = 0x11, 129, 130, 149). */
const MALFORMED_CODES = MALFORMED_RVS;
const PEER_GONE_CODE = 0x8b;
/** nng's NNG_ECLOSED: the broker closed the pipe itself (measured after a rejected PUBLISH). */
const OBJECT_CLOSED_CODE = 0x07;

/** A `pipe close!` line as the classifier read it, with what the log said of that client's connect. */
export interface CloseEvent {
  close: PipeClose;
  time: LogTime | null;
  thread: string | null;
  line: number;
  connect?: ConnectInfo;
}

/** Checks a named kick against the broker's model (the classifier knows the settings the log gave). */
export type KickChecker = (
  clientId: string,
  connect: ConnectInfo,
  kickedAt: LogTime,
) => KickCheck | undefined;

const ROUTE_KEYS = new Map<string, Map<string, string>>();
/** `id/key`, made once per pair and internalised (a property name), so the switch compares it cheaply. */
function routeKey(id: string, key: string): string {
  let byKey = ROUTE_KEYS.get(id);
  if (!byKey) {
    byKey = new Map();
    ROUTE_KEYS.set(id, byKey);
  }
  let k = byKey.get(key);
  if (k === undefined) {
    k = Object.keys({ [`${id}/${key}`]: 0 })[0] as string;
    byKey.set(key, k);
  }
  return k;
}

export class IncidentGrouper {
  private open: Open[] = [];
  private nowMs: number | null = null;
  private nowLine = 0;
  private expiredAtLine = 0;
  /**
   * NanoMQ takeovers whose collision line was the last event on its thread: the old connection's `pipe close!`
   * is written by the same call, so it is the next line of that thread, or there is none (that pipe was closing).
   */
  private readonly takeoverOnThread = new Map<string, Open>();

  constructor(
    private file: string,
    private readonly emit: (incident: Incident) => void,
    private readonly checkKick?: KickChecker,
  ) {}

  push(e: LogEvent): void {
    this.advance(e);
    if (e.thread !== null && this.takeoverOnThread.size > 0) this.takeoverOnThread.delete(e.thread);
    this.route(e);
  }

  /**
   * A `pipe close!` line (NanoMQ 0.25+ at info) names the incident it proves, and none other (docs/nanomq-names.md):
   * - a kick: the one whose kick line printed the same pipe id (its next line, on the same thread, when measured);
   * - a takeover: the one whose collision line came just before it on the same thread, when its code is 0x00;
   * - a peer gone (0x8b), a malformed packet (its rv as the code: 0x11, 0x81, 0x82, 0x95), a rejected PUBLISH
   *   (0x07): the oldest open incident of that kind still unnamed. Several at once are alike but for their
   *   names, so which of them gets which name is arbitrary; the names of the kind are exact.
   * Returns whether it named one (0x00 after no collision is a clean DISCONNECT or a shutdown: nothing to name).
   */
  pushClose(c: CloseEvent): boolean {
    this.advance(c);
    const { close } = c;
    const unnamed = (o: Open) => o.closed === undefined && o.clients.length === 0;
    let target: Open | undefined;
    const taken = c.thread === null ? undefined : this.takeoverOnThread.get(c.thread);
    if (c.thread !== null) this.takeoverOnThread.delete(c.thread);
    if (taken && close.reasonCode === 0 && unnamed(taken) && this.open.includes(taken)) target = taken;
    target ??= this.open.find(
      (o) => o.kind === "keepalive-timeout" && o.pipeId === close.pipeId && unnamed(o),
    );
    if (!target) {
      const code = close.reasonCode;
      const fits = (o: Open): boolean => {
        if (!unnamed(o)) return false;
        if (code === PEER_GONE_CODE) return o.kind === "peer-gone";
        if (code === OBJECT_CLOSED_CODE) return o.kind === "rejected-publish";
        if (MALFORMED_CODES.has(code))
          return (
            o.kind === "malformed-packet" &&
            (o.rv === code || (o.rv === undefined && o.expectRv.includes(code)))
          );
        return false;
      };
      target = preferThread(this.open.filter(fits), c.thread)?.item;
    }
    if (!target) return false;
    target.closed = { ...close, time: c.time, line: c.line };
    target.clients = [close.clientId];
    if (target.kind === "keepalive-timeout" && c.connect && target.first)
      target.window = this.checkKick?.(close.clientId, c.connect, target.first);
    if (target.stage === "done") {
      this.open.splice(this.open.indexOf(target), 1);
      this.finish(target);
    }
    return true;
  }

  /** One case per catalogue message: start an incident, move one on, or finish a single-line one. */
  private route(e: LogEvent): boolean {
    const m = e.match;
    // Connect and offline lines name clients only (see the default case): the commonest lines, out first.
    if (m.id === "client-connected" || m.id === "client-offline") return false;
    const nano = m.dialect === "nanomq";
    const client = m.args.clientId;
    switch (routeKey(m.id, m.key)) {
      case "keepalive-timeout/kick":
        if (nano) return this.start("keepalive-timeout", e, "await-close");
        // mosquitto gives a connection without CONNECT keepalive 60 s: `Client <unknown> has exceeded timeout`.
        return this.single(client === UNKNOWN ? "connect-timeout" : "keepalive-timeout", e, client);
      case "malformed-packet/invalid-qos":
        // mosquitto: INFO `Invalid QoS in PUBLISH from <id>, disconnecting.`, then `… malformed packet.`
        return this.start("malformed-packet", e, "await-mosquitto-close", client);
      case "takeover/collision":
        if (!nano) return this.single("takeover", e, client);
        if (e.thread !== null) this.takeoverOnThread.set(e.thread, this.create("takeover", e, "await-close"));
        return true;
      case "rejected-publish/topic-protocol":
        return this.start("rejected-publish", e, "await-decode");
      case "rejected-publish/decode-failed":
        return (
          this.advanceStage(
            e,
            (o) => o.kind === "rejected-publish" && o.stage === "await-decode",
            "await-close",
          ) || this.start("rejected-publish", e, "await-close")
        );
      case "rejected-publish/topic-null":
        return this.start("rejected-publish", e, "await-close");
      case "recv-error/recv-error":
        return this.recvError(e);
      case "parse-error/rv":
        return this.rv(e, Number(m.args.rv));
      case "connect-timeout/nego-timeout":
        return nano ? this.start("connect-timeout", e, "await-nego") : this.single("connect-timeout", e);
      case "closed-before-connect/nego-shutdown":
        return this.start("closed-before-connect", e, "await-nego");
      case "connect-timeout/nego-rv":
      case "closed-before-connect/nego-rv":
      case "bad-connect/nego-rv":
        // The file classifier has already read the signature from the rv (negoSignature).
        return this.negoRv(m.id as IncidentKind, e);
      case "malformed-packet/null-string":
        // 0.21.9: a SUBSCRIBE without a topic filter is refused (SUBACK 0x80) and the connection stays open.
        return this.single("malformed-packet", e);
      case "bad-connect/illegal-connect":
      case "bad-connect/remaining-length":
        return nano ? this.start("bad-connect", e, "await-nego") : this.single("bad-connect", e);
      case "client-disconnect/received":
        return this.start("clean-disconnect", e, "await-disconnected", client);
      case "client-disconnect/disconnected":
        return (
          this.advanceStage(
            e,
            (o) => o.stage === "await-disconnected" && o.clients.includes(client ?? ""),
            "done",
          ) || this.single("clean-disconnect", e, client)
        );
    }
    switch (m.id) {
      case "malformed-packet": {
        const rv = MALFORMED_RV[m.key];
        if (nano && rv !== undefined) return this.start("malformed-packet", e, "await-rv", undefined, [rv]);
        const sameClient = (o: Open) =>
          o.stage === "await-mosquitto-close" && o.clients.includes(client ?? "");
        return this.advanceStage(e, sameClient, "done") || this.single("malformed-packet", e, client);
      }
      case "protocol-error":
        // mosquitto: `Client <unknown> disconnected due to protocol error.` = not a CONNECT first.
        return this.single(client === UNKNOWN ? "bad-connect" : "protocol-error", e, client);
      case "peer-closed":
        // mosquitto: `Client <unknown> closed its connection.` = closed before its CONNECT.
        return this.single(client === UNKNOWN ? "closed-before-connect" : "peer-gone", e, client);
      case "retain-decode-failure":
        return this.single("retain-decode-failure", e);
      default:
        // client-connected/offline lines name clients only (mosquitto names them on every line anyway, NanoMQ's
        // prove nothing about an incident), and rejected-publish/utf8-check precedes the `Topic is NULL` that starts it.
        return false;
    }
  }

  /** Emits every incident still held (end of input, or an idle followed file). */
  flush(): void {
    for (const o of this.open) this.finish(o);
    this.open = [];
    this.takeoverOnThread.clear();
  }

  /** The file the next lines come from: incidents begun from here on are reported under it. */
  setFile(file: string): void {
    this.file = file;
  }

  private recvError(e: LogEvent): boolean {
    const reason = e.match.args.reason ?? "";
    // `Object closed`: the broker closed the pipe itself; anything else (`Connection shutdown`): the peer went away.
    if (/closed/i.test(reason)) {
      return (
        this.advanceStage(e, (o) => o.stage === "await-close", "await-rv", [139]) ||
        this.start("broker-closed", e, "await-rv", undefined, [139])
      );
    }
    return this.start("peer-gone", e, "await-rv", undefined, [139]);
  }

  private rv(e: LogEvent, rv: number): boolean {
    const done = this.advanceStage(
      e,
      (o) => o.stage === "await-rv" && o.expectRv.includes(rv),
      "done",
      undefined,
      (o) => {
        o.rv = rv;
      },
    );
    if (done) return true;
    // An rv whose cause line is not in the log: the kind is read from the rv alone.
    const kind: IncidentKind = MALFORMED_RVS.has(rv) ? "malformed-packet" : "recv-error";
    const o = this.create(kind, e, "done");
    o.guessed = true;
    o.rv = rv;
    return true;
  }

  private negoRv(kind: IncidentKind, e: LogEvent): boolean {
    return (
      this.advanceStage(e, (o) => o.stage === "await-nego" && o.kind === kind, "done") || this.single(kind, e)
    );
  }

  private single(kind: IncidentKind, e: LogEvent, client?: string): boolean {
    this.create(kind, e, "done", client);
    return true;
  }

  private start(
    kind: IncidentKind,
    e: LogEvent,
    stage: Stage,
    client?: string,
    expectRv: number[] = [],
  ): boolean {
    this.create(kind, e, stage, client, expectRv);
    return true;
  }

  private create(
    kind: IncidentKind,
    e: LogEvent,
    stage: Stage,
    client?: string,
    expectRv: number[] = [],
  ): Open {
    const o: Open = {
      kind,
      file: this.file,
      first: e.time,
      last: e.time,
      firstLine: e.line,
      lastLine: e.line,
      clients: client && client !== UNKNOWN ? [client] : [],
      signatures: [e.match.id],
      guessed: false,
      complete: stage === "done",
      stage,
      expectRv,
      thread: e.thread,
    };
    const pipeId = e.match.args.pipeId;
    if (pipeId !== undefined) o.pipeId = Number(pipeId);
    // A finished incident that already names its client (mosquitto always does) has nothing left to wait for.
    if (stage === "done" && o.clients.length > 0) {
      this.finish(o);
      return o;
    }
    this.open.push(o);
    if (this.open.length > MAX_OPEN) this.finish(this.open.shift() as Open);
    return o;
  }

  /** Attaches `e` to the oldest open incident `accepts`, moving it to `stage`; false when none awaits it. */
  private advanceStage(
    e: LogEvent,
    accepts: (o: Open) => boolean,
    stage: Stage,
    expectRv?: number[],
    update?: (o: Open) => void,
  ): boolean {
    // preferThread over the candidates, in one pass and without allocating: this runs for most incident lines.
    let oldest: Open | undefined;
    let sameThread: Open | undefined;
    let kinds = 0;
    for (const c of this.open) {
      if (!accepts(c)) continue;
      if (oldest === undefined) {
        oldest = c;
        kinds = 1;
      } else if (kinds === 1 && c.kind !== oldest.kind) kinds = 2;
      if (sameThread === undefined && e.thread !== null && c.thread === e.thread) sameThread = c;
    }
    if (oldest === undefined) return false;
    const o = sameThread ?? oldest;
    if (kinds > 1 && sameThread === undefined) o.guessed = true;
    o.stage = stage;
    o.last = e.time ?? o.last;
    o.lastLine = e.line;
    o.thread = e.thread ?? o.thread;
    o.signatures.push(e.match.id);
    if (expectRv) o.expectRv = expectRv;
    update?.(o);
    if (stage === "done") {
      o.complete = true;
      if (o.clients.length > 0) {
        this.open.splice(this.open.indexOf(o), 1);
        this.finish(o);
      }
    }
    return true;
  }

  private advance(e: { time: LogTime | null; line: number }): void {
    this.nowLine = e.line;
    if (e.time && this.nowMs !== null && e.time.ms < this.nowMs - WINDOW_MS) {
      // Log time jumped back (concatenated logs, a clock reset): nothing open can continue across the jump.
      this.flush();
      this.nowMs = e.time.ms;
      return;
    }
    const later = e.time !== null && (this.nowMs === null || e.time.ms > this.nowMs);
    if (later) this.nowMs = (e.time as { ms: number }).ms;
    // Expiry only moves when log time does (or, without timestamps, every 64 lines).
    if (!later && e.line - this.expiredAtLine < 64) return;
    this.expiredAtLine = e.line;
    if (this.open.length === 0) return;
    const expired = (ms: number | null, line: number) =>
      ms !== null && this.nowMs !== null ? this.nowMs - ms > WINDOW_MS : this.nowLine - line > WINDOW_LINES;
    const keep: Open[] = [];
    for (const o of this.open) {
      if (expired(o.last?.ms ?? null, o.lastLine)) this.finish(o);
      else keep.push(o);
    }
    this.open = keep;
  }

  /** Emits `o` without its working state: the Incident's own fields, in the order create() and pushClose() set them. */
  private finish(o: Open): void {
    const incident: Incident = {
      kind: o.kind,
      file: o.file,
      first: o.first,
      last: o.last,
      firstLine: o.firstLine,
      lastLine: o.lastLine,
      clients: o.clients,
      signatures: o.signatures,
      guessed: o.guessed,
      complete: o.complete,
    };
    if ("pipeId" in o) incident.pipeId = o.pipeId;
    if ("closed" in o) incident.closed = o.closed;
    if ("window" in o) incident.window = o.window;
    this.emit(incident);
  }
}
