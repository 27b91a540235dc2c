import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readLog } from "./log-file.js";

/**
 * The real RabbitMQ 3.10 with its MQTT plugin, for the tests that compare mqdiag with it. It takes 10 – 30 s to
 * start on a loaded 2-core host, so `.ci/run` starts one for the whole run (rabbitmq.sh) and the tests find it
 * through MQDIAG_RABBITMQ_MQTT_PORT and MQDIAG_RABBITMQ_LOG; under CI a missing one is a failure. Locally, without
 * the variables, each test file starts its own when Debian's rabbitmq-server is installed, and skips otherwise.
 */
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "rabbitmq.sh");
const SERVER = process.env.RABBITMQ_SERVER ?? "/usr/lib/rabbitmq/bin/rabbitmq-server";

export interface Rabbitmq {
  port: number;
  logPath: string;
  /** The log so far. */
  log(): string;
  /** Stops it if this file started it; a shared one (.ci/run's) is left running. */
  stop(): Promise<void>;
}

/** true when the RabbitMQ tests should run; throws under CI when there is no RabbitMQ (never skip in CI). */
export function rabbitmqAvailable(): boolean {
  if (process.env.MQDIAG_RABBITMQ_MQTT_PORT && process.env.MQDIAG_RABBITMQ_LOG) return true;
  const how =
    "set MQDIAG_RABBITMQ_MQTT_PORT and MQDIAG_RABBITMQ_LOG (.ci/run does, from test/helpers/rabbitmq.sh)";
  if (process.env.CI) throw new Error(`no RabbitMQ for the RabbitMQ tests under CI: ${how}`);
  if (existsSync(SERVER)) return true;
  console.warn(
    `RabbitMQ not installed: skipping the real-RabbitMQ tests (apt-get install rabbitmq-server, or ${how})`,
  );
  return false;
}

export async function useRabbitmq(): Promise<Rabbitmq> {
  const shared = process.env.MQDIAG_RABBITMQ_MQTT_PORT;
  const sharedLog = process.env.MQDIAG_RABBITMQ_LOG;
  if (shared && sharedLog)
    return { port: Number(shared), logPath: sharedLog, log: () => readLog(sharedLog), stop: async () => {} };
  const vars = Object.fromEntries(
    execFileSync("bash", [SCRIPT, "start"], { encoding: "utf8", timeout: 90_000 })
      .trim()
      .split(/\s+/)
      .map((kv) => kv.split("=", 2) as [string, string]),
  );
  const logPath = vars.MQDIAG_RABBITMQ_LOG as string;
  return {
    port: Number(vars.MQDIAG_RABBITMQ_MQTT_PORT),
    logPath,
    log: () => readLog(logPath),
    async stop() {
      execFileSync("bash", [SCRIPT, "stop"], { env: { ...process.env, ...vars }, timeout: 30_000 });
    },
  };
}
