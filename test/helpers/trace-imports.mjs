/**
 * `node --import ./test/helpers/trace-imports.mjs bin/mqdiag.js …` with MQDIAG_TRACE_IMPORTS=<file>: appends the
 * URL of every module the process resolves to <file>, one a line: ESM `import` (static or dynamic) through a
 * resolve hook, which runs on Node's hooks thread and writes synchronously, so no URL is lost when the process
 * exits; CommonJS `require` (commander, cli-table3 and their own requires) through Module._resolveFilename.
 */
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";
import { pathToFileURL } from "node:url";

const file = process.env.MQDIAG_TRACE_IMPORTS;
if (file) {
  register(new URL("./trace-imports-hooks.mjs", import.meta.url), { data: { file } });
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (...args) {
    const path = resolveFilename.apply(this, args);
    appendFileSync(file, `${path.startsWith("/") ? pathToFileURL(path).href : path}\n`);
    return path;
  };
}
