import { LineSplitter } from "./line-splitter.js";

/** Splits a byte stream into lines, one array per chunk (no promise per line). */
export async function* lineBatches(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  const splitter = new LineSplitter();
  for await (const chunk of stream) {
    const lines = splitter.push(chunk);
    if (lines.length > 0) yield lines;
  }
  const rest = splitter.end();
  if (rest.length > 0) yield rest;
}
