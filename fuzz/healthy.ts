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
  // Receive counts per message number, in a compact growing array (a campaign sends millions).
  let counts = new Uint8Array(1 << 16);
  let distinct = 0;
  const errors: string[] = [];
  for (const c of [sub, pub]) {
    c.on("error", (e) => errors.push(e.message));
    c.on("close", () => errors.push(`${c.options.clientId} closed`));
  }
  sub.on("message", (_topic, payload) => {
    const n = Number(payload.toString());
    if (!Number.isInteger(n) || n < 0) {
      errors.push(`unexpected payload ${payload.toString().slice(0, 40)}`);
      return;
    }
    while (n >= counts.length) {
      const bigger = new Uint8Array(counts.length * 2);
      bigger.set(counts);
      counts = bigger;
    }
    if (counts[n] === 0) distinct++;
    counts[n] = Math.min(255, (counts[n] ?? 0) + 1);
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
      while (distinct < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      let duplicated = 0;
      let lost = 0;
      for (let i = 0; i < counts.length; i++) {
        const count = counts[i] ?? 0;
        if (count > 1) duplicated += count - 1;
        if (i < sent && count === 0) lost++;
      }
      const stats = { sent, received: distinct, lost, duplicated, errors: [...errors] };
      sub.removeAllListeners("close");
      pub.removeAllListeners("close");
      await Promise.all([sub.endAsync(), pub.endAsync()]);
      return stats;
    },
  };
}
