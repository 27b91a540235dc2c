import { StringDecoder } from "node:string_decoder";

/** Longest line kept whole; longer ones (binary garbage without newlines) are cut, so memory stays bounded. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Splits a byte stream into lines, a chunk's worth at a time (one array per chunk: no per-line promise).
 * Multi-byte UTF-8 characters split across chunks are decoded whole; `\r\n` endings lose their `\r`; a final
 * line without a newline is yielded at the end. Memory: one chunk plus at most MAX_LINE_CHARS of carry.
 */
export async function* lineBatches(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  for await (const chunk of stream) {
    const text = carry + (typeof chunk === "string" ? chunk : decoder.write(chunk));
    const lines = text.split("\n");
    carry = lines.pop() ?? "";
    if (carry.length > MAX_LINE_CHARS) {
      lines.push(carry.slice(0, MAX_LINE_CHARS));
      carry = "";
    }
    if (lines.length > 0) yield lines.map(chomp);
  }
  const rest = carry + decoder.end();
  if (rest.length > 0) yield [chomp(rest)];
}

/** Drops a `\r` ending and cuts an overlong line (its rest comes out as the next line, and reads as unparsed). */
function chomp(line: string): string {
  const cut = line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line;
  return cut.endsWith("\r") ? cut.slice(0, -1) : cut;
}
