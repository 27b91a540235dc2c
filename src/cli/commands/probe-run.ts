import { realClock } from "../../core/clock.js";
import { baselineFromResult, compareBaseline } from "../../probe/baseline.js";
import { checkBaselineWritable, readBaseline, writeBaseline } from "../../probe/baseline-file.js";
import { probeExitStatus } from "../../probe/exit-status.js";
import { parseProbeOptions, type RawProbeOptions } from "../../probe/probe-options.js";
import { runProbe } from "../../probe/runner.js";
import { probeJson } from "../../report/probe-json.js";
import { probeJunit } from "../../report/probe-junit.js";
import { probeTable } from "../../report/probe-table.js";
import { outputOptions, reportColumns, writeReport } from "../output.js";
import { withStatusLine } from "../status.js";

/**
 * `mqdiag probe`'s action, imported only when that command runs (it loads MQTT.js and the raw sessions).
 * `given(name)` says whether the user gave an option on the command line.
 */
export async function runProbeCommand(
  broker: string,
  raw: RawProbeOptions & Record<string, unknown>,
  given: (name: string) => boolean,
): Promise<number> {
  const output = outputOptions(raw as Parameters<typeof outputOptions>[0]);
  const quick = raw.quick === true;
  // Defaults that --quick changes are only applied when the user did not give them.
  const options = parseProbeOptions(
    broker,
    {
      ...raw,
      keepaliveSamples: quick && !given("keepaliveSamples") ? undefined : raw.keepaliveSamples,
      keepaliveSessions: quick && !given("keepaliveSessions") ? undefined : raw.keepaliveSessions,
    },
    process.env,
    realClock(),
  );
  // a bad baseline file or an unwritable --save-baseline is a usage error before any probing
  const baseline = raw.baseline === undefined ? undefined : readBaseline(raw.baseline);
  if (raw.saveBaseline !== undefined) checkBaselineWritable(raw.saveBaseline);
  const result = await withStatusLine((update) =>
    runProbe({ ...options, onProgress: (text) => update(`mqdiag probe: ${text}`) }),
  );
  if (baseline && raw.baseline !== undefined)
    result.baseline = compareBaseline(baseline, raw.baseline, result);
  if (raw.saveBaseline !== undefined) await writeBaseline(raw.saveBaseline, baselineFromResult(result));
  const text =
    output.format === "json"
      ? probeJson(result)
      : output.format === "junit"
        ? probeJunit(result, options.failOn)
        : probeTable(result, reportColumns(output), {
            details: raw.details === true,
            failOn: options.failOn,
          });
  await writeReport(text, output);
  return probeExitStatus(result, options.failOn);
}
