import { StringDecoder } from "node:string_decoder";

/** Longest line kept whole; longer ones (binary garbage without newlines) are cut, so memory stays bounded. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Splits bytes into lines as they arrive. Multi-byte UTF-8 characters split across chunks are decoded whole;
 * `\r\n` endings lose their `\r`; an overlong line is cut at MAX_LINE_CHARS and the rest of it, up to its
 * newline, is dropped: it stays ONE line, so the line numbers after it are still the file's. Memory: one chunk
 * plus at most MAX_LINE_CHARS of carry.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private carry = "";
  /** The current line was already emitted, cut: drop what follows up to its newline. */
  private overlong = false;

  push(chunk: Buffer | string): string[] {
    let text = this.carry + (typeof chunk === "string" ? chunk : this.decoder.write(chunk));
    this.carry = "";
    if (this.overlong) {
      const newline = text.indexOf("\n");
      if (newline < 0) return [];
      text = text.slice(newline + 1);
      this.overlong = false;
    }
    const lines = text.split("\n");
    this.carry = lines.pop() ?? "";
    if (this.carry.length > MAX_LINE_CHARS) {
      lines.push(this.carry);
      this.carry = "";
      this.overlong = true;
    }
    return lines.map(chomp);
  }

  /** The last line, if it had no newline. */
  end(): string[] {
    const rest = this.carry + this.decoder.end();
    this.carry = "";
    if (this.overlong) {
      this.overlong = false;
      return [];
    }
    return rest.length > 0 ? [chomp(rest)] : [];
  }
}

/** A line as the splitter gives it: cut at MAX_LINE_CHARS, without its `\r`. */
export function chomp(line: string): string {
  const cut = line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line;
  return cut.endsWith("\r") ? cut.slice(0, -1) : cut;
}
