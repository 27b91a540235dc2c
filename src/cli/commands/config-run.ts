import { CONF_BROKERS, type ConfBroker, detectConfBroker } from "../../config/conf-broker.js";
import { buildConfigReport, configExitStatus } from "../../config/config-report.js";
import { interpretEmqxConf } from "../../config/emqx-conf.js";
import { buildEmqxConfigReport } from "../../config/emqx-config-report.js";
import { interpretMosquittoConf } from "../../config/mosquitto-conf.js";
import { buildMosquittoConfigReport } from "../../config/mosquitto-config-report.js";
import { readConfText } from "../../config/read-conf-text.js";
import { nanomqConfOf } from "../../config/read-nanomq-conf.js";
import { parseKeepaliveSeconds } from "../../core/duration.js";
import { UsageError } from "../../core/errors.js";
import { emqxConfigTable, mosquittoConfigTable } from "../../report/config-broker-table.js";
import { configJson } from "../../report/config-json.js";
import { configTable } from "../../report/config-table.js";
import { outputOptions, reportColumns, writeReport } from "../output.js";
import { FORMATS } from "./config.js";

/** `--keepalive 10,30,60` → whole seconds, 0–65535 (MQTT's two-byte keepalive). */
export function parseKeepaliveList(text: string): number[] {
  return text.split(",").map((part) => parseKeepaliveSeconds(part, "--keepalive", "10,30,60"));
}

function brokerOption(raw: Record<string, string | boolean>): ConfBroker | undefined {
  if (raw.broker === undefined) return undefined;
  const b = String(raw.broker);
  if ((CONF_BROKERS as readonly string[]).includes(b)) return b as ConfBroker;
  throw new UsageError(`--broker: expected one of ${CONF_BROKERS.join(", ")}, got "${b}"`);
}

/** `mqdiag config`'s action, imported only when that command runs. */
export async function runConfig(file: string, raw: Record<string, string | boolean>): Promise<number> {
  const output = outputOptions(raw, FORMATS);
  const keepalives = parseKeepaliveList(String(raw.keepalive));
  const forced = brokerOption(raw);
  const text = await readConfText(file);
  const broker = forced ?? detectConfBroker(file, text);
  if (raw.oldConf === true && broker !== "nanomq")
    throw new UsageError(`--old-conf: only for NanoMQ configs, and ${file} is read as ${broker}'s`);
  const columns = reportColumns(output);
  const json = output.format === "json";
  if (broker === "emqx") {
    const report = buildEmqxConfigReport(file, interpretEmqxConf(text), keepalives);
    await writeReport(json ? configJson(report) : emqxConfigTable(report, columns), output);
    return configExitStatus(report);
  }
  if (broker === "mosquitto") {
    const report = buildMosquittoConfigReport(file, interpretMosquittoConf(text), keepalives);
    await writeReport(json ? configJson(report) : mosquittoConfigTable(report, columns), output);
    return configExitStatus(report);
  }
  const conf = nanomqConfOf(file, text, raw.oldConf === true ? { format: "flat" } : {});
  const report = buildConfigReport(file, conf, keepalives);
  await writeReport(json ? configJson(report) : configTable(report, columns), output);
  return configExitStatus(report);
}
