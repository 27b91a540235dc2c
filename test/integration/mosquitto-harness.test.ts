import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mosquitto, mosquittoAvailable, startMosquitto } from "../helpers/mosquitto.js";

describe.runIf(mosquittoAvailable())("the real mosquitto harness", () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it("starts on a free loopback port and logs new clients to its own file", async () => {
    const client = await mqtt.connectAsync(broker.url, {
      clientId: "harness-1",
      keepalive: 60,
      reconnectPeriod: 0,
    });
    await broker.waitForLog(/New client connected from 127\.0\.0\.1:\d+ as harness-1 \(p2, c1, k60\)\./);
    await client.endAsync();
    const line = await broker.waitForLog(/Client harness-1 disconnected\./);
    expect(line).toMatch(/^\d+: Client harness-1 disconnected\.$/);
  });
});
