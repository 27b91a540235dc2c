/**
 * A live status line on stderr for long waits ("waiting for the kick of late-ping-1, 42 s of 80–90 s"). It
 * prints only when stderr is a TTY, and nothing otherwise, so pipes and CI logs stay clean.
 */
export interface StatusLine {
  update(text: string): void;
  done(): void;
}

export function statusLine(stream: NodeJS.WriteStream = process.stderr): StatusLine {
  if (!stream.isTTY) return { update() {}, done() {} };
  let shown = false;
  return {
    update(text) {
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}

/** Runs `work` with a live status line it can update, and clears the line however the work ends. */
export async function withStatusLine<T>(work: (update: (text: string) => void) => Promise<T>): Promise<T> {
  const status = statusLine();
  try {
    return await work((text) => status.update(text));
  } finally {
    status.done();
  }
}
