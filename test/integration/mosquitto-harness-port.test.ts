import net from "node:net";
import { describe, expect, it } from "vitest";
import { freePort, mosquittoAvailable, startMosquitto } from "../helpers/mosquitto.js";

describe.runIf(mosquittoAvailable())("the mosquitto harness", () => {
  it("a port taken before mosquitto binds it: mosquitto starts on another, and it is mosquitto that answers", async () => {
    const taken = await freePort();
    const squatter = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => squatter.listen(taken, "127.0.0.1", () => r()));
    const m = await startMosquitto({ port: taken });
    try {
      expect(m.port).not.toBe(taken);
      expect(m.log()).toMatch(new RegExp(`Opening ipv4 listen socket on port ${m.port}\\.`));
      expect(m.log()).toMatch(/mosquitto version \S+ running/);
    } finally {
      await m.stop();
      squatter.close();
    }
  });
});
