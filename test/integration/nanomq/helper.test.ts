import { afterAll, describe, expect, it } from "vitest";
import { type Nanomq, nanomqAvailable, startNanomq } from "../../helpers/nanomq.js";
import { rawConnectMqtt } from "../../helpers/raw-client.js";

/**
 * The test helper's own promise: NanoMQ 0.21.9 instances run side by side although 0.21.9 writes its pid to one
 * compiled-in path (the helper removes it once an instance answers), each on its own port with its own log.
 */
describe.runIf(nanomqAvailable("0.21.9"))("real NanoMQ 0.21.9 instances side by side", () => {
  const brokers: Nanomq[] = [];
  afterAll(async () => {
    await Promise.all(brokers.map((b) => b.stop()));
  });

  it("three start at once, each answers on its port and logs only its own clients", async () => {
    brokers.push(...(await Promise.all([1, 2, 3].map(() => startNanomq("0.21.9")))));
    expect(new Set(brokers.map((b) => b.port)).size).toBe(3);
    await Promise.all(
      brokers.map(async (b, i) => {
        const c = await rawConnectMqtt(b.port, { clientId: `side-by-side-${i}` });
        c.reset();
        // 0.21.9 at warn: a reset is `Connection shutdown` then rv 139, in this broker's log only.
        await b.waitForLog(/nni aio recv error!! Connection shutdown/, 5000);
      }),
    );
    for (const b of brokers) expect(b.logSinceReady().match(/Connection shutdown/g)).toHaveLength(1);
  }, 60_000);
});
