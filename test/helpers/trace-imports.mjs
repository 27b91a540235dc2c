/**
 * `node --import ./test/helpers/trace-imports.mjs bin/mqdiag.js …` with MQDIAG_TRACE_IMPORTS=<file>: appends the
 * URL of every module the process resolves (ESM `import`, static or dynamic) to <file>, one a line. The resolve
 * hook runs on Node's hooks thread and writes synchronously, so no URL is lost when the process exits.
 */
import { register } from "node:module";

const file = process.env.MQDIAG_TRACE_IMPORTS;
if (file) register(new URL("./trace-imports-hooks.mjs", import.meta.url), { data: { file } });
