import type { Command } from "commander";
import { buildConfigReport, configExitStatus, DEFAULT_KEEPALIVES_S } from "../../config/config-report.js";
import { readNanomqConf } from "../../config/read-nanomq-conf.js";
import { UsageError } from "../../core/errors.js";
import { configJson } from "../../report/config-json.js";
import { configTable } from "../../report/config-table.js";
import { outputOptions, withOutputOptions, writeReport } from "../output.js";

const FORMATS = ["table", "json"] as const;

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

export function registerConfig(program: Command): void {
  const cmd = program
    .command("config")
    .description("effective keepalive settings of a nanomq.conf, traps, kick window and safe ping interval")
    .argument("<nanomq.conf>", "a NanoMQ config file (HOCON or the old flat format)")
    .option("--keepalive <seconds,...>", "client keepalives to predict for", DEFAULT_KEEPALIVES_S.join(","));
  withOutputOptions(cmd, FORMATS).action(async (file: string, raw: Record<string, string | boolean>) => {
    const output = outputOptions(raw, FORMATS);
    const keepalives = parseKeepaliveList(String(raw.keepalive));
    const report = buildConfigReport(file, await readNanomqConf(file), keepalives);
    await writeReport(output.format === "json" ? configJson(report) : configTable(report), output);
    process.exitCode = configExitStatus(report);
  });
}
