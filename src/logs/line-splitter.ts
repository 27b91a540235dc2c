import { StringDecoder } from "node:string_decoder";

/** Longest line kept whole; longer ones (binary garbage without newlines) are cut, so memory stays bounded. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Splits bytes into lines as they arrive. Multi-byte UTF-8 characters split across chunks are decoded whole;
 * `\r\n` endings lose their `\r`; an overlong line is cut at MAX_LINE_CHARS (its rest comes out as the next
 * line). Memory: one chunk plus at most MAX_LINE_CHARS of carry.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private carry = "";

  push(chunk: Buffer | string): string[] {
    const text = this.carry + (typeof chunk === "string" ? chunk : this.decoder.write(chunk));
    const lines = text.split("\n");
    this.carry = lines.pop() ?? "";
    if (this.carry.length > MAX_LINE_CHARS) {
      lines.push(this.carry.slice(0, MAX_LINE_CHARS));
      this.carry = this.carry.slice(MAX_LINE_CHARS);
    }
    return lines.map(chomp);
  }

  /** The last line, if it had no newline. */
  end(): string[] {
    const rest = this.carry + this.decoder.end();
    this.carry = "";
    return rest.length > 0 ? [chomp(rest)] : [];
  }
}

function chomp(line: string): string {
  const cut = line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line;
  return cut.endsWith("\r") ? cut.slice(0, -1) : cut;
}
