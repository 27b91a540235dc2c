import mqtt, { type MqttClient } from "mqtt";

/** A real MQTT.js 3.1.1 client, connected (no reconnects); rejects on a connect error. */
export function mqttjs(url: string, clientId: string, keepalive: number): Promise<MqttClient> {
  const client = mqtt.connect(url, { clientId, keepalive, reconnectPeriod: 0, protocolVersion: 4 });
  return new Promise((resolve, reject) => {
    client.once("connect", () => resolve(client));
    client.once("error", reject);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
