import { gunzipIfGzip, openLog } from "../logs/open-log.js";
import { CaptureFormatError } from "./capture-format-error.js";
import type { CaptureRecord } from "./capture-record.js";
import { type CaptureFormat, CaptureStream } from "./capture-stream.js";
import { ConnectionTable, type TableOptions } from "./connection-table.js";
import { tcpSegmentOf } from "./ip-tcp.js";
import { isKnownLinkType, LINK_TYPES } from "./link-layer.js";
import type { ConnectionTimeline } from "./timeline.js";

export interface CaptureRead {
  name: string;
  format: CaptureFormat;
  packets: number;
  /** Capture times of the first and last packet (ms since the epoch); null for a capture of no packets. */
  firstMs: number | null;
  lastMs: number | null;
  connections: ConnectionTimeline[];
  /** TCP connections that were not MQTT (no known port, no CONNECT), and frames of link types not read. */
  otherConnections: number;
  unsupportedLinkTypes: number[];
}

export interface ReadOptions extends TableOptions {
  /** Called now and then with the number of (decompressed) bytes read so far. */
  onProgress?: (bytes: number) => void;
}

export const DEFAULT_MQTT_PORTS = [1883] as const;
export const DEFAULT_TLS_PORTS = [8883] as const;

/** Reads a capture file (path, or `-` for stdin; gzip recognised) into per-connection timelines, streaming. */
export async function readCapture(path: string, options: ReadOptions): Promise<CaptureRead> {
  const opened = await openLog(path);
  try {
    return await readChunks(opened.name, opened.chunks, options);
  } finally {
    await opened.close();
  }
}

/** The same, from any source of bytes, gzip-compressed or not (the tests feed buffers). */
export async function readChunks(
  name: string,
  chunks: AsyncIterable<Buffer>,
  options: ReadOptions,
): Promise<CaptureRead> {
  const table = new ConnectionTable(options);
  const unsupported = new Set<number>();
  let firstMs: number | null = null;
  let lastMs: number | null = null;
  let lastPacket = 0;
  let knownFrames = 0;
  const stream = new CaptureStream((record: CaptureRecord) => {
    firstMs ??= record.timeMs;
    lastMs = record.timeMs;
    lastPacket = record.packet;
    if (!isKnownLinkType(record.linkType)) {
      unsupported.add(record.linkType);
      return;
    }
    knownFrames++;
    const segment = tcpSegmentOf(record);
    if (segment) table.segment(segment);
  });
  let bytes = 0;
  let reported = 0;
  for await (const chunk of gunzipIfGzip(chunks)) {
    stream.push(chunk);
    bytes += chunk.length;
    if (options.onProgress && bytes - reported >= 8 * 1024 * 1024) {
      reported = bytes;
      options.onProgress(bytes);
    }
  }
  const { format, packets } = stream.end();
  if (knownFrames === 0 && unsupported.size > 0)
    throw new CaptureFormatError(
      `link type ${[...unsupported].join(", ")} is not read (read: ${[...new Set(Object.values(LINK_TYPES))].join(", ")})`,
    );
  const connections = table.finish({ packet: lastPacket, timeMs: lastMs ?? 0 });
  return {
    name,
    format,
    packets,
    firstMs,
    lastMs,
    connections,
    otherConnections: table.otherConnections,
    unsupportedLinkTypes: [...unsupported].sort((a, b) => a - b),
  };
}
