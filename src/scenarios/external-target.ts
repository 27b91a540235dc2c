import { UsageError } from "../core/errors.js";
import type { FleetTarget } from "../fleet/types.js";
import { type LogTail, tailLog } from "./log-tail.js";
import { observeExternalLine } from "./observe.js";
import type { TargetFactory } from "./target.js";
import type { ObservedSignature } from "./types.js";

/** Parses `--broker`: mqtt://host:port, host:port or [v6]:port (plain TCP only: the fleet speaks raw MQTT). */
export function parseBrokerUrl(text: string): FleetTarget {
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `mqtt://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`--broker: expected mqtt://host:port or host:port, got "${text}"`);
  }
  if (url.protocol !== "mqtt:" && url.protocol !== "tcp:")
    throw new UsageError(
      `--broker: only mqtt:// (plain TCP) brokers can run scenarios, got "${url.protocol}//"`,
    );
  const port = url.port === "" ? 1883 : Number(url.port);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "") throw new UsageError(`--broker: no host in "${text}"`);
  if (port === 0) throw new UsageError(`--broker: port 0 is not a broker's port in "${text}"`);
  return { host, port };
}

/**
 * An external broker at real time. With `logPath` its log is tailed from the scenario's start and every new line
 * the catalogue knows (NanoMQ or mosquitto wording) becomes an observed signature.
 */
export function externalTarget(
  endpoint: FleetTarget,
  logPath?: string,
  onLine?: (line: string) => void,
): TargetFactory {
  return async (clock) => {
    const seen: ObservedSignature[] = [];
    let tail: LogTail | undefined;
    if (logPath !== undefined) {
      tail = await tailLog(
        logPath,
        clock,
        (line) => {
          onLine?.(line);
          seen.push(...observeExternalLine(line, clock.now()));
        },
        50,
      );
    }
    return {
      kind: "external",
      endpoint,
      faults: undefined,
      brokerObserved: logPath !== undefined,
      signatures: () => seen,
      trace: () => [],
      flush: async () => {
        await tail?.poll();
      },
      close: async () => {
        await tail?.stop();
      },
    };
  };
}
