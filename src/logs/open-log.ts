import { type FileHandle, open } from "node:fs/promises";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { UsageError } from "../core/errors.js";

const CHUNK_BYTES = 1024 * 1024;

/** A log to read: a path, or `-` for stdin. Gzip is recognised by its magic bytes, not the file name. */
export interface OpenedLog {
  name: string;
  /** A chunk is only valid until the next one is asked for (a plain file is read into one reused buffer). */
  chunks: AsyncIterable<Buffer>;
  close(): Promise<void>;
}

/** Opens `path` (or stdin for `-`); a missing, unreadable or directory path is a UsageError (exit 2). */
export async function openLog(path: string, stdin: Readable = process.stdin): Promise<OpenedLog> {
  if (path === "-") return { name: "-", chunks: gunzipIfGzip(stdin), close: async () => {} };
  let handle: Awaited<ReturnType<typeof open>>;
  let plain = false;
  try {
    handle = await open(path, "r");
    const st = await handle.stat();
    if (st.isDirectory()) {
      await handle.close();
      throw new UsageError(`cannot read ${path}: it is a directory`);
    }
    if (st.isFile()) {
      const magic = Buffer.alloc(2);
      const { bytesRead } = await handle.read(magic, 0, 2, 0);
      plain = bytesRead < 2 || magic[0] !== 0x1f || magic[1] !== 0x8b;
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${path}: ${reason(err)}`);
  }
  if (plain) {
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    };
    return { name: path, chunks: readInto(handle, () => closed), close };
  }
  const stream = handle.createReadStream({ highWaterMark: CHUNK_BYTES, autoClose: true });
  return {
    name: path,
    chunks: gunzipIfGzip(stream),
    close: async () => {
      stream.destroy();
    },
  };
}

/** A plain file in CHUNK_BYTES reads into one buffer, reused (no allocation per chunk). */
async function* readInto(handle: FileHandle, closed: () => boolean): AsyncGenerator<Buffer> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  for (let position = 0; !closed(); ) {
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

function reason(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return err instanceof Error ? err.message : String(err);
}

/** Passes bytes through, or gunzips them when they start with the gzip magic (1f 8b). */
export async function* gunzipIfGzip(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = typeof first.value === "string" ? Buffer.from(first.value) : first.value;
  const rest: AsyncIterable<Buffer> = {
    async *[Symbol.asyncIterator]() {
      yield head;
      for (let r = await it.next(); !r.done; r = await it.next()) {
        yield typeof r.value === "string" ? Buffer.from(r.value) : r.value;
      }
    },
  };
  if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* rest;
    return;
  }
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  const input = Readable.from(rest);
  input.on("error", (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } finally {
    input.destroy();
  }
}
