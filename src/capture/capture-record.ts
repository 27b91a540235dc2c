/** One captured frame as a capture file holds it, before any link-layer decoding. */
export interface CaptureRecord {
  /** 1-based position in the file, as Wireshark numbers its frames: the packet number of every evidence. */
  packet: number;
  /** Capture time, ms since the Unix epoch (fractional: µs and ns survive to ~0.25 µs). */
  timeMs: number;
  /** The link type of the interface it was captured on (LINKTYPE_* numbers). */
  linkType: number;
  /** The captured bytes (possibly fewer than the frame had: snaplen). Valid only during the callback. */
  data: Buffer;
  /** The frame's length on the wire. */
  originalLength: number;
}

export type RecordSink = (record: CaptureRecord) => void;

/** The largest record accepted: pcap's snaplen maximum is 256 KiB; anything much larger is a corrupt file. */
export const MAX_RECORD_BYTES = 1024 * 1024;
