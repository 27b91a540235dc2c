import mqtt from "mqtt";

/**
 * A healthy QoS 1 stream through the broker while it is being fuzzed: one MQTT.js publisher, one subscriber,
 * every message numbered, so a lost or duplicated message is counted exactly.
 */
export interface HealthyStats {
  sent: number;
  received: number;
  lost: number;
  duplicated: number;
  errors: string[];
}

export interface HealthyStream {
  /** Stops publishing, waits for the tail to arrive (at most `drainMs`), and returns the counts. */
  stop(drainMs?: number): Promise<HealthyStats>;
}

export async function startHealthyStream(
  url: string,
  options: { intervalMs?: number } = {},
): Promise<HealthyStream> {
  const common = { reconnectPeriod: 0, keepalive: 30, connectTimeout: 5000 };
  const sub = await mqtt.connectAsync(url, { ...common, clientId: "fuzz-healthy-sub", protocolVersion: 5 });
  const pub = await mqtt.connectAsync(url, { ...common, clientId: "fuzz-healthy-pub", protocolVersion: 4 });
  const seen = new Map<number, number>();
  const errors: string[] = [];
  for (const c of [sub, pub]) {
    c.on("error", (e) => errors.push(e.message));
    c.on("close", () => errors.push(`${c.options.clientId} closed`));
  }
  sub.on("message", (_topic, payload) => {
    const n = Number(payload.toString());
    seen.set(n, (seen.get(n) ?? 0) + 1);
  });
  await sub.subscribeAsync("healthy/stream", { qos: 1 });
  let sent = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      await pub.publishAsync("healthy/stream", String(sent), { qos: 1 });
      sent++;
      if (options.intervalMs) await new Promise((r) => setTimeout(r, options.intervalMs));
    }
  })().catch((e: Error) => errors.push(e.message));
  return {
    async stop(drainMs = 5000) {
      running = false;
      await loop;
      const deadline = Date.now() + drainMs;
      while (seen.size < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      let duplicated = 0;
      for (const count of seen.values()) duplicated += count - 1;
      const stats = {
        sent,
        received: seen.size,
        lost: sent - [...seen.keys()].filter((k) => k < sent).length,
        duplicated,
        errors: [...errors],
      };
      sub.removeAllListeners("close");
      pub.removeAllListeners("close");
      await Promise.all([sub.endAsync(), pub.endAsync()]);
      return stats;
    },
  };
}
