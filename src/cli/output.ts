import { accessSync, constants, statSync } from "node:fs";
import { dirname } from "node:path";
import chalk from "chalk";
import { errorMessage, UsageError } from "../core/errors.js";
import { reportWidth } from "../report/width.js";
import { FORMATS, type Format } from "./output-options.js";

export interface OutputOptions {
  format: Format;
  output?: string;
  color: boolean;
  verbose: boolean;
}

/** Reads the common output options back, validated; sets chalk's colour level. */
export function outputOptions(
  raw: { format?: string; output?: string; color?: boolean; verbose?: boolean },
  formats: readonly Format[] = FORMATS,
): OutputOptions {
  const format = (raw.format ?? "table") as Format;
  if (!formats.includes(format)) {
    throw new UsageError(`--format: expected ${formats.join(", ")}, got "${raw.format}"`);
  }
  const color =
    raw.color !== false &&
    !process.env.NO_COLOR &&
    (Boolean(process.env.FORCE_COLOR) || process.stdout.isTTY === true) &&
    raw.output === undefined;
  chalk.level = color ? (Math.max(chalk.level, 1) as 1 | 2 | 3) : 0;
  if (raw.output !== undefined && raw.output !== "-") checkWritable(raw.output);
  return { format, output: raw.output, color, verbose: raw.verbose === true };
}

/** Writes a finished report to `--output` or stdout. */
export async function writeReport(text: string, options: Pick<OutputOptions, "output">): Promise<void> {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  if (options.output === undefined || options.output === "-") {
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(body, (err) => (err ? reject(err) : resolve())),
    );
    return;
  }
  // node:fs/promises only here: loading it (with the readline and watcher modules it pulls in) costs a report that
  // goes to stdout ~1 ms of start-up
  const { writeFile } = await import("node:fs/promises");
  try {
    await writeFile(options.output, body);
  } catch (err) {
    throw new UsageError(`--output: cannot write ${options.output}: ${errorMessage(err)}`);
  }
}

/** Refuses an `--output` that cannot be written before any work is done (a scenario run, a probe). */
function checkWritable(path: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // does not exist yet: its folder must be writable
  }
  if (isDirectory) throw new UsageError(`--output: ${path} is a directory`);
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch {
    throw new UsageError(`--output: cannot write ${path}: no writable folder ${dirname(path)}`);
  }
}

/**
 * The width a table report fits: the terminal's when the report goes to one, else `COLUMNS` when set (as `ls` and
 * git read it), else 100; kept within 72–200 (src/report/width.ts).
 */
export function reportColumns(options: Pick<OutputOptions, "output">): number {
  const toTerminal =
    (options.output === undefined || options.output === "-") && process.stdout.isTTY === true;
  if (toTerminal) return reportWidth(process.stdout.columns);
  const env = Number(process.env.COLUMNS);
  return reportWidth(Number.isInteger(env) && env > 0 ? env : undefined);
}
