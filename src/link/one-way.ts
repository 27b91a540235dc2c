import type { Clock, TimerHandle } from "../core/clock.js";
import type { Rand } from "../core/prng.js";
import { FrameSplitter, type Piece } from "./frame-splitter.js";
import { heldUntil } from "./gate.js";
import { Schedule } from "./schedule.js";
import { activeAt, type Direction, type LinkEvent, PACKET_TYPE } from "./types.js";
import { isTransparent, needsFrames, type WayFaults } from "./way-faults.js";

/** Where a way's bytes go: the socket on the far side. */
export interface WayOutput {
  write(bytes: Buffer): void;
  end(): void;
  reset(): void;
}

type Item = { due: number } & ({ kind: "data"; bytes: Buffer } | { kind: "end" } | { kind: "reset" });

export interface OneWayContext {
  clock: Clock;
  /** Clock ms at which the link started (fault windows count from it). */
  startAt: number;
  conn: number;
  rand: Rand;
  event(e: Omit<LinkEvent, "at">): void;
}

/**
 * One direction of one relayed connection: pieces in (data, FIN, RST), the MQTT-aware filter (drop/delay a
 * packet type), the schedule (latency, jitter, bandwidth, slow close: schedule.ts), and the exit, where stalls
 * hold everything (gate.ts). One clock timer at most, for the head of the queue; none at all on a way without
 * faults, whose pieces go straight out.
 */
export class OneWay {
  private readonly queue: Item[] = [];
  private readonly schedule: Schedule;
  private readonly splitter: FrameSplitter | undefined;
  private timer: TimerHandle | undefined;
  private output: WayOutput | undefined;
  private establishedAt = Number.POSITIVE_INFINITY;
  private closing = false;
  private stopped = false;
  private readonly transparent: boolean;

  constructor(
    private readonly ctx: OneWayContext,
    readonly direction: Direction,
    private readonly faults: WayFaults,
  ) {
    this.schedule = new Schedule(faults, ctx.rand);
    this.splitter = needsFrames(faults) ? new FrameSplitter() : undefined;
    this.transparent = isTransparent(faults);
  }

  /** Bytes can leave from now on (the far socket is connected). */
  attach(output: WayOutput): void {
    this.output = output;
    this.establishedAt = this.ctx.clock.now();
    this.pump();
  }

  push(chunk: Buffer): void {
    if (this.closing || this.stopped) return;
    // no fault on this way: straight out, nothing to schedule
    if (this.transparent && this.output && this.queue.length === 0) {
      this.output.write(chunk);
      return;
    }
    const at = this.ctx.clock.now();
    const since = at - this.ctx.startAt;
    const pieces: Piece[] = this.splitter ? this.splitter.push(chunk) : [{ bytes: chunk, type: null }];
    for (const p of pieces) {
      const extra = this.packetFault(p, since);
      if (extra === null) continue;
      this.queue.push({
        kind: "data",
        bytes: p.bytes,
        due: this.schedule.dataDue(at, since, p.bytes.length, extra),
      });
    }
    this.pump();
  }

  pushEnd(): void {
    this.pushClose("end");
  }

  pushReset(): void {
    this.pushClose("reset");
  }

  /** Clears the timer and forgets what is queued (the relay is stopping). */
  stop(): void {
    this.stopped = true;
    this.ctx.clock.clear(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }

  private pushClose(kind: "end" | "reset"): void {
    if (this.closing || this.stopped) return;
    this.closing = true;
    const at = this.ctx.clock.now();
    this.queue.push({ kind, due: this.schedule.closeDue(at, at - this.ctx.startAt) });
    this.pump();
  }

  /** null = drop the packet; otherwise the extra delay (ms) of a delayed packet type. */
  private packetFault(p: Piece, since: number): number | null {
    if (p.type === null) return 0;
    for (const d of this.faults.drop) {
      if (PACKET_TYPE[d.packet] !== p.type || !activeAt(d, since)) continue;
      if (d.probability === undefined || d.probability >= 1 || this.ctx.rand() < d.probability) {
        this.ctx.event({ conn: this.ctx.conn, kind: "dropped", direction: this.direction, packet: d.packet });
        return null;
      }
    }
    let extra = 0;
    for (const d of this.faults.delay) {
      if (PACKET_TYPE[d.packet] !== p.type || !activeAt(d, since)) continue;
      extra += d.delayMs;
      this.ctx.event({ conn: this.ctx.conn, kind: "delayed", direction: this.direction, packet: d.packet });
    }
    return extra;
  }

  private pump(): void {
    const { clock } = this.ctx;
    clock.clear(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0 && !this.stopped) {
      const head = this.queue[0] as Item;
      const now = clock.now();
      if (head.due > now) {
        this.wakeAt(head.due);
        return;
      }
      const output = this.output;
      if (!output) return;
      const held = heldUntil(
        this.faults.stall,
        now - this.ctx.startAt,
        this.establishedAt - this.ctx.startAt,
      );
      if (held !== null) {
        // held for good: no timer; the relay's stop clears the rest
        if (held === Number.POSITIVE_INFINITY) return;
        this.wakeAt(this.ctx.startAt + held);
        return;
      }
      this.queue.shift();
      if (head.kind === "data") output.write(head.bytes);
      else if (head.kind === "end") output.end();
      else output.reset();
    }
  }

  private wakeAt(at: number): void {
    this.timer = this.ctx.clock.setTimeout(() => this.pump(), Math.max(0, at - this.ctx.clock.now()));
  }
}
