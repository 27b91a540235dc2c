/**
 * How wide a report may be: every table fits `reportWidth` columns (the terminal's, kept within 72–200; 100 into
 * a pipe or file), and prose (explanations, advice) wraps at `proseWidth`, at most 100 columns however wide the
 * terminal is, for it to stay readable.
 */
export const MIN_WIDTH = 72;
export const MAX_WIDTH = 200;
export const DEFAULT_WIDTH = 100;

export function reportWidth(columns: number | undefined): number {
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, columns ?? DEFAULT_WIDTH));
}

export function proseWidth(width: number): number {
  return Math.min(width, DEFAULT_WIDTH);
}

/** Visible length: ANSI colour codes do not take a column. */
export function visibleLength(text: string): number {
  return stripAnsi(text).length;
}

/**
 * A list of names in at most `max` columns: as many as fit, then "+N" for the rest ("a, b +12"). One name longer
 * than `max` is cut with an ellipsis.
 */
export function shortList(names: readonly string[], max: number): string {
  const all = names.join(", ");
  if (all.length <= max) return all;
  const more = (shown: number) => (shown < names.length ? ` +${names.length - shown}` : "");
  const first = names[0] ?? "";
  let text = "";
  let shown = 0;
  while (shown < names.length) {
    const next = shown === 0 ? first : `${text}, ${names[shown]}`;
    if (next.length + more(shown + 1).length > max) break;
    text = next;
    shown++;
  }
  if (shown === 0) return `${clip(first, max - more(1).length)}${more(1)}`;
  return `${text}${more(shown)}`;
}

/** `text` cut to `max` columns with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 1 ? "…".slice(0, max) : `${text.slice(0, max - 1)}…`;
}

/**
 * Wraps plain text at spaces to `width` columns: the first line starts with `first`, the following ones with
 * `rest`. A word longer than a whole line (a URL, a log line without spaces) is cut across lines, so no line is
 * ever wider than `width`.
 */
export function wrap(text: string, width: number, first = "", rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const room = (prefix: string) => Math.max(1, width - prefix.length);
  for (let word of text.split(/ +/).filter((w) => w !== "")) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    while (line.length + word.length > width && word.length > room(rest)) {
      const cut = width - line.length - (empty ? 0 : 1);
      if (cut <= 0) {
        lines.push(line);
        line = rest;
        empty = true;
        continue;
      }
      lines.push(`${line}${empty ? "" : " "}${word.slice(0, cut)}`);
      word = word.slice(cut);
      line = rest;
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** Colour codes out: for measuring, and for a line that must be re-wrapped. */
export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

/**
 * The last step of every text report: a line wider than `width` (a long file name, a pasted log line, a chart's
 * legend) is wrapped at word boundaries under its own indent (a `- ` item's continuation under its text). Lines
 * that fit, tables among them, are left as they are, colours included.
 */
export function fitLines(text: string, width: number): string {
  return text
    .split("\n")
    .flatMap((line) => {
      if (visibleLength(line) <= width) return [line];
      const plain = stripAnsi(line);
      const indent = /^ */.exec(plain)?.[0] ?? "";
      const bullet = /^ *(- )?/.exec(plain)?.[0] ?? indent;
      return wrap(plain.slice(indent.length), width, indent, " ".repeat(bullet.length));
    })
    .join("\n");
}
