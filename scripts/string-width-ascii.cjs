"use strict";
/**
 * string-width as cli-table3 gets it in the CLI bundle (scripts/bundle-cli.mjs). A string of printable ASCII
 * (U+0020–U+007E) is as wide as it is long, which is what string-width 4 answers for it: no ANSI escape, emoji,
 * wide or combining character can be in it (test/cli/string-width-ascii.test.ts). This answers that without
 * running string-width's emoji regex over it, which cli-table3 does twice for every line of every cell; any other
 * string goes to string-width.
 */
const stringWidth = require("string-width");

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function width(string) {
  return typeof string === "string" && PRINTABLE_ASCII.test(string) ? string.length : stringWidth(string);
}

module.exports = width;
module.exports.default = width;
