import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Broker } from "../../../src/broker/index.js";
import { programLibrary } from "../../../src/clients/real/c-library.js";
import { startIdleSession } from "../../../src/clients/real/idle-session.js";
import { REAL_LIBRARY_IDS, realLibrary } from "../../../src/clients/real/index.js";
import { type MeasureEnv, measureEnv } from "../../../src/clients/real/measure.js";
import { scaledClock } from "../../../src/core/clock.js";
import { realLibraryAvailable } from "../../helpers/real-clients.js";

/** Each real library's runner: it connects to the embedded broker with its client id and keepalive, and stops. */
const clock = scaledClock(1);
let env: MeasureEnv;
let broker: Broker;
beforeAll(async () => {
  env = await measureEnv(clock);
  broker = env.broker;
});
afterAll(() => env.close());

const available = await Promise.all(
  REAL_LIBRARY_IDS.map(async (id) => [id, await realLibraryAvailable(id)] as const),
);

for (const [id, here] of available) {
  describe.runIf(here)(`the real ${id}`, () => {
    it("reports a version, connects with the given client id and keepalive, and stops", async () => {
      const lib = realLibrary(id);
      const detected = await lib.detect();
      expect(detected).toMatchObject({ available: true, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
      const keepaliveS = Math.max(lib.minKeepaliveS, 7);
      const connects: { clientId: string; keepaliveMs: number }[] = [];
      broker.on("trace", (e) => {
        if (e.type === "connect") connects.push(e);
      });
      const client = await lib.start({
        host: broker.host,
        port: broker.port,
        clientId: `runner-${id}`,
        keepaliveS,
        loopIntervalMs: 100,
      });
      expect(client.pid).toBeGreaterThan(0);
      expect(await client.connected).toBe(true);
      expect(connects).toContainEqual(
        expect.objectContaining({ clientId: `runner-${id}`, keepaliveMs: keepaliveS * 1000 }),
      );
      const exit = await client.stop();
      expect(exit.lost).toBeNull();
    });
  });
}

it("a library whose program does not build is not available, with the compiler's one line saying why", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mqdiag-runner-"));
  const source = join(dir, "idle.c");
  writeFileSync(source, "#include <no-such-mqtt-library.h>\nint main(void) { return 0; }\n");
  const lib = programLibrary({
    id: "paho-c",
    describe: "a program against a library that is not installed",
    drivenByLoop: false,
    minKeepaliveS: 1,
    hint: "install no-such-mqtt-library-dev",
    program: () => ({ name: `missing-${process.pid}`, sources: [source], includeDirs: [], libs: [] }),
    version: async () => "0.0.0",
  });
  const a = await lib.detect();
  rmSync(dir, { recursive: true, force: true });
  expect(a).toEqual({ available: false, reason: expect.stringContaining("no-such-mqtt-library.h") });
  expect(a.available === false && a.reason).toMatch(
    /^building missing-\d+ failed: .*\(install no-such-mqtt-library-dev\)$/,
  );
  await expect(
    lib.start({ host: "127.0.0.1", port: 1, clientId: "x", keepaliveS: 1, loopIntervalMs: 100 }),
  ).rejects.toThrow(/paho-c is not available here: building missing/);
});

describe.runIf(available.find(([id]) => id === "mqttjs")?.[1])("an idle session of a real library", () => {
  it("refuses a sped-up clock; on real time says which library ran and ends when stopped", async () => {
    const options = {
      host: broker.host,
      port: broker.port,
      clientId: "idle-session",
      keepaliveS: 5,
      loopIntervalMs: 100,
    };
    await expect(startIdleSession(scaledClock(10), "mqttjs", options)).rejects.toThrow(
      "a real mqttjs runs on real time, not at ×10",
    );
    const s = await startIdleSession(clock, "mqttjs", options);
    expect(s.library).toEqual({ id: "mqttjs", version: "5.16.0", real: true });
    expect(await s.connected).toBe(true);
    expect(s.ended()).toBeNull();
    const end = await s.stop();
    expect(end.exit.lost).toBeNull();
    expect(s.ended()).toBe(end);
  });
});
