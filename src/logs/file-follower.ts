import { type FileHandle, open, stat } from "node:fs/promises";
import { UsageError } from "../core/errors.js";
import { LineSplitter } from "./line-splitter.js";

const READ_BYTES = 1 << 20;

/**
 * Reads what a log file gains, poll after poll, like `tail -F`, without a loop of its own (the caller polls on its
 * clock). Survives both kinds of rotation:
 * - rename (NanoMQ: `nanomq.log` → `nanomq.log.<i>`, then a new `nanomq.log`; logrotate's default): the path names a
 *   new file, so the old one (still open) is read to its end, its last line without newline too, and the new one
 *   from its start. While the path names no file (between the rename and the new file) the old one is kept.
 * - truncation in place (copytruncate): the file is read again from its start.
 */
export class FileFollower {
  private splitter = new LineSplitter();
  private readonly buffer = Buffer.alloc(READ_BYTES);
  private closed = false;

  private constructor(
    readonly path: string,
    private handle: FileHandle,
    private identity: string,
    private position: number,
  ) {}

  /** Opens `path`; `fromEnd` skips what it already holds. A file that cannot be opened is a UsageError (exit 2). */
  static async open(path: string, options: { fromEnd?: boolean } = {}): Promise<FileFollower> {
    const handle = await openFollowed(path);
    const s = await handle.stat();
    return new FileFollower(path, handle, `${s.dev}:${s.ino}`, options.fromEnd ? s.size : 0);
  }

  /** Hands every complete new line to `onLines`; resolves with the number of bytes read. */
  async read(onLines: (lines: string[]) => void): Promise<number> {
    if (this.closed) return 0;
    let total = await this.drain(onLines);
    for (;;) {
      const current = await stat(this.path).catch(() => undefined);
      if (!current) return total; // renamed away, the new file not created yet: keep the old one
      if (`${current.dev}:${current.ino}` !== this.identity) {
        total += await this.drain(onLines); // what was written to the old file before the rename
        const rest = this.splitter.end();
        if (rest.length > 0) onLines(rest);
        let next: FileHandle;
        try {
          next = await open(this.path, "r");
        } catch {
          return total; // gone again between stat and open: try on the next poll
        }
        await this.handle.close();
        this.handle = next;
        const s = await next.stat();
        this.identity = `${s.dev}:${s.ino}`;
        this.position = 0;
        this.splitter = new LineSplitter();
        total += await this.drain(onLines);
        continue; // it may have been rotated again meanwhile
      }
      if (current.size < this.position) {
        this.position = 0; // truncated in place (copytruncate): what was left of a line before it is gone too
        this.splitter = new LineSplitter();
        total += await this.drain(onLines);
      }
      return total;
    }
  }

  /** Closes the file; with `flush`, a last line without newline is handed over first. */
  async close(onLines?: (lines: string[]) => void): Promise<void> {
    if (this.closed) return;
    if (onLines) {
      await this.drain(onLines);
      const rest = this.splitter.end();
      if (rest.length > 0) onLines(rest);
    }
    this.closed = true;
    await this.handle.close();
  }

  private async drain(onLines: (lines: string[]) => void): Promise<number> {
    let total = 0;
    for (;;) {
      const { bytesRead } = await this.handle.read(this.buffer, 0, READ_BYTES, this.position);
      if (bytesRead === 0) return total;
      this.position += bytesRead;
      total += bytesRead;
      const lines = this.splitter.push(this.buffer.subarray(0, bytesRead));
      if (lines.length > 0) onLines(lines);
    }
  }
}

async function openFollowed(path: string): Promise<FileHandle> {
  try {
    return await open(path, "r");
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UsageError(
      `cannot follow ${path}: ${code === "ENOENT" ? "no such file" : (err as Error).message}`,
    );
  }
}
