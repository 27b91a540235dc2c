/** Where in the capture something happened: the frame's number and time. */
export interface PacketRef {
  packet: number;
  timeMs: number;
}

/** What reassembling one direction of a TCP connection tells its listener. */
export interface DirectionListener {
  /** New in-order bytes (valid only during the call). `at` is the segment that completed them. */
  data(bytes: Buffer, at: PacketRef): void;
  /** Bytes the CAPTURE missed (the receiver got them: snaplen, dropped by the capture): the stream skips them. */
  missed(bytes: number, at: PacketRef, reason: MissedReason): void;
  /** Bytes the NETWORK sent again: the same sequence range seen before. */
  retransmitted(bytes: number, at: PacketRef): void;
  /** A hole filled late: the segment before it was lost before the capture point and sent again. */
  filledLate(bytes: number, at: PacketRef, holeSince: PacketRef): void;
}

export type MissedReason = "snaplen" | "acknowledged-unseen" | "buffer-limit" | "never-filled";

interface Pending {
  start: number;
  end: number;
  /** Captured bytes (a copy): may be fewer than end - start when the snaplen cut the segment. */
  bytes: Buffer;
  at: PacketRef;
}

/** At most this much out-of-order data is held per direction before its hole is declared missed. */
const MAX_PENDING_BYTES = 512 * 1024;
const MAX_PENDING_SEGMENTS = 128;
/** An ACK this far ahead of what was seen is not one (a corrupt or unrelated segment). */
const MAX_ACK_AHEAD = 2 ** 30;

/**
 * Our own reassembly of one direction of a TCP connection, in stream offsets (0 = the first byte after the SYN, or
 * the first byte seen when the capture began mid-stream), immune to sequence-number wrap: every 32-bit sequence
 * number is read as the offset nearest to what is expected next.
 *
 * It tells apart what a keepalive verdict must never confuse:
 * - a range seen twice is a RETRANSMISSION (the network lost it, or its ACK, after or before the capture point);
 * - a hole later filled is a late fill (the segment was lost before the capture point and sent again);
 * - a hole never filled — the peer acknowledged bytes the capture never saw, the snaplen cut the segment, or the
 *   hold limit was reached — is bytes the CAPTURE MISSED: the network delivered them, the capture has no record.
 */
export class TcpDirection {
  private started = false;
  private baseSeq = 0;
  private next = 0;
  private finAt: number | undefined;
  private pending: Pending[] = [];
  private pendingBytes = 0;
  /** The held segment that opened the current hole. */
  private holeSince: PacketRef | undefined;
  /** True when the stream's first byte was not seen (no SYN): framing starts mid-stream. */
  midStream = false;
  synSeen = false;

  constructor(private readonly listener: DirectionListener) {}

  /** Offset of the next byte expected. */
  offset(): number {
    return this.next;
  }

  syn(seq: number): void {
    this.started = true;
    this.synSeen = true;
    this.baseSeq = (seq + 1) >>> 0;
    this.next = 0;
  }

  segment(seq: number, payload: Buffer, payloadLength: number, fin: boolean, at: PacketRef): void {
    if (!this.started) {
      if (payloadLength === 0 && !fin) return;
      this.started = true;
      this.midStream = true;
      this.baseSeq = seq >>> 0;
    }
    const start = this.abs(seq);
    const end = start + payloadLength;
    if (fin) this.finAt ??= end;
    if (payloadLength === 0) return;
    if (end <= this.next) {
      this.listener.retransmitted(payloadLength, at);
      return;
    }
    if (start > this.next) {
      this.hold({ start, end, bytes: Buffer.from(payload), at });
      return;
    }
    if (start < this.next) this.listener.retransmitted(this.next - start, at);
    if (this.holeSince) this.listener.filledLate(end - this.next, at, this.holeSince);
    this.deliver(start, end, payload, at);
    this.drain();
  }

  /** The other direction acknowledged up to `ackSeq`: whatever of that was never seen, the capture missed. */
  acknowledged(ackSeq: number, at: PacketRef): void {
    if (!this.started) return;
    let upTo = this.abs(ackSeq);
    if (this.finAt !== undefined) upTo = Math.min(upTo, this.finAt);
    if (upTo <= this.next || upTo - this.next > MAX_ACK_AHEAD) return;
    this.skipTo(upTo, at, "acknowledged-unseen");
  }

  /** The connection is over (or the capture ended): holes still open were never filled. */
  finish(at: PacketRef): void {
    const last = this.pending[this.pending.length - 1];
    if (last) this.skipTo(last.end, at, "never-filled");
  }

  /** The stream offset a sequence number stands for (an ACK's, say). */
  offsetOf(seq: number): number {
    return this.started ? this.abs(seq) : 0;
  }

  private abs(seq: number): number {
    return this.next + (((seq >>> 0) - ((this.baseSeq + this.next) >>> 0)) | 0);
  }

  private deliver(start: number, end: number, bytes: Buffer, at: PacketRef): void {
    const capturedEnd = start + bytes.length;
    if (capturedEnd > this.next) this.listener.data(bytes.subarray(this.next - start), at);
    if (end > Math.max(capturedEnd, this.next))
      this.listener.missed(end - Math.max(capturedEnd, this.next), at, "snaplen");
    this.next = end;
  }

  private hold(p: Pending): void {
    if (this.pending.length === 0) this.holeSince = { packet: p.at.packet, timeMs: p.at.timeMs };
    this.pending.push(p);
    this.pending.sort((a, b) => a.start - b.start);
    this.pendingBytes += p.bytes.length;
    if (this.pendingBytes > MAX_PENDING_BYTES || this.pending.length > MAX_PENDING_SEGMENTS) {
      const first = this.pending[0] as Pending;
      this.skipTo(first.start, p.at, "buffer-limit");
    }
  }

  /** Delivers every held segment that now starts at or before `next`. */
  private drain(): void {
    for (let p = this.pending[0]; p && p.start <= this.next; p = this.pending[0]) {
      this.pending.shift();
      this.pendingBytes -= p.bytes.length;
      if (p.end <= this.next) {
        this.listener.retransmitted(p.end - p.start, p.at);
        continue;
      }
      if (p.start < this.next) this.listener.retransmitted(this.next - p.start, p.at);
      this.deliver(p.start, p.end, p.bytes, p.at);
    }
    if (this.pending.length === 0) this.holeSince = undefined;
  }

  /** Moves past a hole up to `upTo`: what held data covers is delivered, the rest counted as missed. */
  private skipTo(upTo: number, at: PacketRef, reason: MissedReason): void {
    while (this.next < upTo) {
      const first = this.pending[0];
      if (first && first.start <= this.next) {
        this.drain();
        continue;
      }
      const holeEnd = Math.min(upTo, first?.start ?? upTo);
      this.listener.missed(holeEnd - this.next, at, reason);
      this.next = holeEnd;
      this.drain();
    }
  }
}
