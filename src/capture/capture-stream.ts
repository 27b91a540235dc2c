import { CaptureFormatError } from "./capture-format-error.js";
import type { RecordSink } from "./capture-record.js";
import { PcapParser, pcapMagic } from "./pcap-parser.js";
import { PcapngParser } from "./pcapng-parser.js";

export type CaptureFormat = "pcap" | "pcapng";

interface Parser {
  parse(buf: Buffer): number;
  packets(): number;
}

/**
 * Pushes a capture file's bytes through the right parser, whatever the chunking: the format is recognised by its
 * first four bytes (pcap's magics in either byte order, pcapng's section header). At most one unfinished record is
 * kept between chunks, so memory does not grow with the file.
 */
export class CaptureStream {
  private parser: Parser | undefined;
  private tail: Buffer = Buffer.alloc(0);
  format: CaptureFormat | undefined;

  constructor(private readonly sink: RecordSink) {}

  push(chunk: Buffer): void {
    const buf = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
    if (!this.parser) {
      if (buf.length < 4) {
        this.tail = Buffer.from(buf);
        return;
      }
      this.parser = this.detect(buf);
    }
    let used: number;
    try {
      used = this.parser.parse(buf);
    } catch (err) {
      if (err instanceof RangeError)
        throw new CaptureFormatError(
          `corrupt ${this.format} file after packet ${this.parser.packets()}: ${err.message}`,
        );
      throw err;
    }
    // copy: the caller may reuse `chunk`'s memory for the next read
    this.tail = used === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(used));
  }

  /** Ends the stream: an empty file, or one cut inside a record, is an error. */
  end(): { format: CaptureFormat; packets: number } {
    if (!this.parser || !this.format) throw new CaptureFormatError("empty file: no capture header");
    if (this.tail.length > 0)
      throw new CaptureFormatError(
        `truncated ${this.format} file: ${this.tail.length} bytes of an unfinished record after packet ${this.parser.packets()}`,
      );
    return { format: this.format, packets: this.parser.packets() };
  }

  private detect(buf: Buffer): Parser {
    if (pcapMagic(buf)) {
      this.format = "pcap";
      return new PcapParser(this.sink);
    }
    if (buf.readUInt32BE(0) === 0x0a0d0d0a) {
      this.format = "pcapng";
      return new PcapngParser(this.sink);
    }
    throw new CaptureFormatError("not a capture: neither pcap nor pcapng (gzip is recognised too)");
  }
}
