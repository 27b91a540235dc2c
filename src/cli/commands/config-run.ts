import { buildConfigReport, configExitStatus } from "../../config/config-report.js";
import { readNanomqConf } from "../../config/read-nanomq-conf.js";
import { UsageError } from "../../core/errors.js";
import { configJson } from "../../report/config-json.js";
import { configTable } from "../../report/config-table.js";
import { outputOptions, reportColumns, writeReport } from "../output.js";
import { FORMATS } from "./config.js";

/** `--keepalive 10,30,60` → whole seconds, 0–65535 (MQTT's two-byte keepalive). */
export function parseKeepaliveList(text: string): number[] {
  const values = text.split(",").map((part) => {
    const s = part.trim().replace(/s$/i, "");
    const n = Number(s);
    if (s === "" || !Number.isInteger(n) || n < 0 || n > 65535) {
      throw new UsageError(
        `--keepalive: expected whole seconds from 0 to 65535 like 10,30,60, got "${part.trim()}"`,
      );
    }
    return n;
  });
  return values;
}

/** `mqdiag config`'s action, imported only when that command runs. */
export async function runConfig(file: string, raw: Record<string, string | boolean>): Promise<number> {
  const output = outputOptions(raw, FORMATS);
  const keepalives = parseKeepaliveList(String(raw.keepalive));
  const conf = await readNanomqConf(file, raw.oldConf === true ? { format: "flat" } : {});
  const report = buildConfigReport(file, conf, keepalives);
  await writeReport(
    output.format === "json" ? configJson(report) : configTable(report, reportColumns(output)),
    output,
  );
  return configExitStatus(report);
}
