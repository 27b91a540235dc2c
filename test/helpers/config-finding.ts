import type { ConfigFinding } from "../../src/config/config-finding.js";

/** A config finding's line, for the findings that name one (undefined for the others). */
export const lineOf = (f: ConfigFinding) => ("line" in f.args ? f.args.line : undefined);

/** A config finding's key, for the findings that name one (undefined for the others). */
export const keyOf = (f: ConfigFinding) => ("key" in f.args ? f.args.key : undefined);
