/**
 * The old flat `nanomq.conf` as NanoMQ's own reader sees it (`nanomq start --old_conf <file>`): conf.c
 * `conf_basic_parse`, which reads the file line by line (`nano_getline`) and asks `get_conf_value(line, key)` for
 * each key it knows (0.21.9 and 0.25.3 alike). For one line that function:
 * - takes the line only if the key occurs in it and no `#` comes before that occurrence (so a `#` anywhere before
 *   the key comments the line out, and one after it stays part of the value: `keepalive_backoff=1250 # x` is read);
 * - trims blanks (space, tab, newline: not `\r`) off both ends, splits at the FIRST `=` (`sscanf("%[^=]=%[^\n]")`),
 *   and answers only if the trimmed text before it equals the key exactly; the value is the trimmed rest, "" when
 *   nothing follows the `=` or there is no `=` at all;
 * - knows nothing of `//` comments, quotes, braces or HOCON blocks: a JSON value like `user_property={"a":"b"}` is
 *   just text, and a HOCON line such as `    parallel = 0` inside `system { … }` IS read.
 * Every line is read in order and a later line overwrites an earlier one.
 */
export interface FlatEntry {
  key: string;
  /** The value as NanoMQ passes it to atoi/atof: trimmed, comments and quotes kept. */
  raw: string;
  line: number;
  /** Whether the line has an `=`: a bare word still answers for its key (value ""), but is no setting as such. */
  equals: boolean;
}

const trimC = (s: string) => s.replace(/^[ \t\n]+/, "").replace(/[ \t\n]+$/, "");

/** Every `key=value` line the flat reader would answer for its key (whatever the key: callers pick theirs). */
export function scanFlatConf(text: string): FlatEntry[] {
  const entries: FlatEntry[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const trimmed = trimC(line);
    const eq = trimmed.indexOf("=");
    // sscanf's %[^=] must match at least one character: a line starting with `=` answers no key.
    if (eq === 0 || trimmed === "") continue;
    const key = trimC(eq < 0 ? trimmed : trimmed.slice(0, eq));
    if (key === "") continue;
    // `#` before the key's first occurrence: for a key that equals the text before `=`, that means a `#` in it.
    if (key.includes("#")) continue;
    const raw = eq < 0 ? "" : trimC(trimmed.slice(eq + 1));
    entries.push({ key, raw, line: i + 1, equals: eq > 0 });
  }
  return entries;
}
