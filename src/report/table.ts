import { createRequire } from "node:module";
import chalk from "chalk";
import type CliTable from "cli-table3";

// cli-table3 is CommonJS: require() it, which is quicker at start-up than importing it through Node's ESM wrapper.
const Table: typeof CliTable = createRequire(import.meta.url)("cli-table3");

type TableOptions = ConstructorParameters<typeof Table>[0];

/**
 * Every table report's table. cli-table3 colours its head and border by itself, even into a pipe and whatever
 * NO_COLOR says; here its own colours are off and the head is bold through chalk, whose level the CLI sets from
 * --no-color, NO_COLOR, FORCE_COLOR and the TTY.
 */
export function reportTable(
  head: readonly string[],
  options: Omit<NonNullable<TableOptions>, "head" | "style"> = {},
) {
  return new Table({ ...options, head: head.map((h) => chalk.bold(h)), style: { head: [], border: [] } });
}
