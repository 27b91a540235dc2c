import { readNanomqConf } from "../../config/read-nanomq-conf.js";
import { parseDuration, parseKeepaliveSeconds } from "../../core/duration.js";
import { UsageError } from "../../core/errors.js";
import { parseProfileOptions, type RawProfileOptions } from "../../core/options.js";
import type { ServerKeepalive } from "../../core/profile.js";
import { CLIENT_MODELS, isClientLibraryId } from "../../keepalive/clients/catalogue.js";
import { type BrokerSettingsSource, surveyClients, surveyEnds } from "../../keepalive/clients/survey.js";
import {
  CLIENT_LIBRARY_IDS,
  type ClientConditions,
  type ClientModel,
} from "../../keepalive/clients/types.js";
import type { KeepaliveParams } from "../../keepalive/predict.js";
import { clientsJson } from "../../report/clients-json.js";
import { clientsJunit } from "../../report/clients-junit.js";
import { clientsTable } from "../../report/clients-table.js";
import { outputOptions, reportColumns, writeReport } from "../output.js";
import { FORMATS } from "./clients.js";

/** `--library mqtt-c paho-c` or `--library mqtt-c,paho-c` → the models, in catalogue order; unknown → exit 2. */
export function parseLibraries(raw: unknown): ClientModel[] {
  if (raw === undefined) return [...CLIENT_MODELS];
  const words = (Array.isArray(raw) ? raw : [raw]).flatMap((w) => String(w).split(",")).map((w) => w.trim());
  for (const w of words) {
    if (!isClientLibraryId(w))
      throw new UsageError(`--library: unknown library "${w}" (choose ${CLIENT_LIBRARY_IDS.join(", ")})`);
  }
  return CLIENT_MODELS.filter((m) => words.includes(m.id));
}

function parseConditions(raw: Record<string, unknown>): ClientConditions {
  const keepaliveS = parseKeepaliveSeconds(String(raw.keepalive));
  const loopIntervalMs = parseDuration(String(raw.loopInterval), "--loop-interval");
  if (loopIntervalMs <= 0) throw new UsageError("--loop-interval: must be greater than 0");
  return {
    keepaliveMs: keepaliveS * 1000,
    oneWayLatencyMs: parseDuration(String(raw.latency), "--latency"),
    loopIntervalMs,
  };
}

/** The broker: from --config (Q and M; the other profile options still apply) or the profile options alone. */
async function parseBroker(
  raw: Record<string, unknown>,
  given: (option: string) => boolean,
): Promise<{ broker: KeepaliveParams; source: BrokerSettingsSource; serverKeepalive?: ServerKeepalive }> {
  const profile = parseProfileOptions(raw as RawProfileOptions);
  const rule = profile.serverKeepalive ? { serverKeepalive: profile.serverKeepalive } : {};
  if (raw.config === undefined) return { broker: profile, source: { kind: "options" }, ...rule };
  for (const [name, flag] of [
    ["retryInterval", "--retry-interval"],
    ["keepaliveMultiplier", "--keepalive-multiplier"],
  ] as const) {
    if (given(name)) throw new UsageError(`${flag}: not with --config (the file gives it)`);
  }
  if (profile.profile !== "nanomq")
    throw new UsageError(`--config: a nanomq.conf is NanoMQ's; not with --profile ${profile.profile}`);
  const file = String(raw.config);
  const conf = await readNanomqConf(file);
  if (conf.retryInterval.value <= 0)
    throw new UsageError(`--config: ${file}: a retry interval of 0 s (see mqdiag config ${file})`);
  return {
    broker: {
      ...profile,
      retryIntervalMs: conf.retryInterval.value,
      keepaliveMultiplier: conf.keepaliveMultiplier.value,
    },
    source: { kind: "config", file },
    ...rule,
  };
}

/** `mqdiag clients`'s action, imported only when that command runs. */
export async function runClients(
  raw: Record<string, unknown>,
  given: (option: string) => boolean,
): Promise<number> {
  const output = outputOptions(raw as Parameters<typeof outputOptions>[0], FORMATS);
  const models = parseLibraries(raw.library);
  const { broker, source, serverKeepalive } = await parseBroker(raw, given);
  const conditions = { ...parseConditions(raw), ...(serverKeepalive ? { serverKeepalive } : {}) };
  const survey = surveyClients(models, conditions, broker, source);
  const text =
    output.format === "json"
      ? clientsJson(survey)
      : output.format === "junit"
        ? clientsJunit(survey)
        : clientsTable(survey, reportColumns(output));
  await writeReport(text, output);
  return surveyEnds(survey) ? 1 : 0;
}
