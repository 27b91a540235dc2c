import type { CommanderError } from "commander";
import { errorMessage, isExpectedError } from "../core/errors.js";

/**
 * The one place that exits. Commands are async functions that return an exit status (0 as expected,
 * 1 findings, 3 unreachable/inconclusive) or throw a typed error; this turns errors into one line on stderr.
 */
export async function main(argv: string[]): Promise<void> {
  const showStack = argv.includes("--verbose") || Boolean(process.env.MQDIAG_DEBUG);
  // An error that escapes every command (a bug in an event handler) is still one line, not a stack trace.
  const escaped = (err: unknown) => {
    process.exitCode = exitStatusFor(err, showStack);
    process.exit();
  };
  process.on("uncaughtException", escaped);
  process.on("unhandledRejection", escaped);
  // A reader that goes away (`mqdiag explain | head`) is not an error: stop quietly, as other CLIs do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
      throw err;
    });
  }
  // `mqdiag --version` alone answers before commander is even loaded: the quickest start there is.
  if (argv.length === 3 && (argv[2] === "--version" || argv[2] === "-V")) {
    process.stdout.write(`${await version()}\n`);
    return;
  }
  const { createProgram } = await import("./program.js");
  const program = createProgram(await version());
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitStatusFor(err, showStack);
  }
}

function exitStatusFor(err: unknown, showStack: boolean): number {
  if (isCommanderError(err)) {
    // help and --version "errors" are successes; every other commander error is a usage error (already printed).
    return err.exitCode === 0 ? 0 : 2;
  }
  if (isExpectedError(err)) {
    process.stderr.write(`mqdiag: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`mqdiag: internal error: ${errorMessage(err)} (this is a bug; please report it)\n`);
  if (showStack && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return 70;
}

/** commander's errors carry a "commander.*" code (CommanderError itself is not loaded for --version). */
function isCommanderError(err: unknown): err is CommanderError {
  return (
    err instanceof Error &&
    typeof (err as Partial<CommanderError>).code === "string" &&
    String((err as Partial<CommanderError>).code).startsWith("commander.") &&
    typeof (err as Partial<CommanderError>).exitCode === "number"
  );
}

async function version(): Promise<string> {
  // node:fs, not node:fs/promises: Node has loaded it already, and one small file does not need a promise
  const { readFileSync } = await import("node:fs");
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
