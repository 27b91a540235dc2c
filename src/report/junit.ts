/** A generic JUnit XML writer: one <testsuite>, one <testcase> per test. Pure; reused by every command. */
export interface JunitCase {
  name: string;
  classname: string;
  timeSeconds?: number;
  /** A failed expectation. */
  failure?: { message: string; type?: string; body?: string };
  /** The test could not run (inconclusive). */
  error?: { message: string; type?: string; body?: string };
  skipped?: string;
  /** Free text in <system-out>. */
  output?: string;
}

export interface JunitSuite {
  name: string;
  timestamp?: string;
  timeSeconds?: number;
  properties?: Record<string, string>;
  cases: JunitCase[];
}

export function escapeXml(text: string): string {
  // XML 1.0 cannot carry most control characters, escaped or not: drop them.
  const printable = [...text].filter((ch) => {
    const c = ch.charCodeAt(0);
    return c >= 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  });
  return printable
    .join("")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const attr = (name: string, value: string | number | undefined) =>
  value === undefined ? "" : ` ${name}="${escapeXml(String(value))}"`;

export function junitXml(suite: JunitSuite): string {
  const failures = suite.cases.filter((c) => c.failure).length;
  const errors = suite.cases.filter((c) => c.error).length;
  const skipped = suite.cases.filter((c) => c.skipped !== undefined).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attr("name", suite.name)}${attr("tests", suite.cases.length)}${attr("failures", failures)}${attr("errors", errors)}${attr("skipped", skipped)}>`,
    `  <testsuite${attr("name", suite.name)}${attr("tests", suite.cases.length)}${attr("failures", failures)}${attr("errors", errors)}${attr("skipped", skipped)}${attr("timestamp", suite.timestamp)}${attr("time", suite.timeSeconds)}>`,
  ];
  const props = Object.entries(suite.properties ?? {});
  if (props.length) {
    lines.push("    <properties>");
    for (const [k, v] of props) lines.push(`      <property${attr("name", k)}${attr("value", v)}/>`);
    lines.push("    </properties>");
  }
  for (const c of suite.cases) {
    const open = `    <testcase${attr("name", c.name)}${attr("classname", c.classname)}${attr("time", c.timeSeconds)}`;
    const inner: string[] = [];
    for (const [tag, v] of [
      ["failure", c.failure],
      ["error", c.error],
    ] as const) {
      if (v)
        inner.push(
          `      <${tag}${attr("message", v.message)}${attr("type", v.type)}>${escapeXml(v.body ?? "")}</${tag}>`,
        );
    }
    if (c.skipped !== undefined) inner.push(`      <skipped${attr("message", c.skipped)}/>`);
    if (c.output) inner.push(`      <system-out>${escapeXml(c.output)}</system-out>`);
    lines.push(inner.length ? `${open}>\n${inner.join("\n")}\n    </testcase>` : `${open}/>`);
  }
  lines.push("  </testsuite>", "</testsuites>");
  return `${lines.join("\n")}\n`;
}
