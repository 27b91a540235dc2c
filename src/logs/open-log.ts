import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { UsageError } from "../core/errors.js";

const CHUNK_BYTES = 1024 * 1024;

/** A log to read: a path, or `-` for stdin. Gzip is recognised by its magic bytes, not the file name. */
export interface OpenedLog {
  name: string;
  chunks: AsyncIterable<Buffer>;
  close(): Promise<void>;
}

/** Opens `path` (or stdin for `-`); a missing, unreadable or directory path is a UsageError (exit 2). */
export async function openLog(path: string, stdin: Readable = process.stdin): Promise<OpenedLog> {
  if (path === "-") return { name: "-", chunks: gunzipIfGzip(stdin), close: async () => {} };
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw new UsageError(`cannot read ${path}: it is a directory`);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${path}: ${reason(err)}`);
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
