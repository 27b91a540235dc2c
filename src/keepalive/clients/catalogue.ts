import { COREMQTT } from "./coremqtt.js";
import { ESP_MQTT } from "./esp-mqtt.js";
import { LIBMOSQUITTO } from "./libmosquitto.js";
import { MQTT_C } from "./mqtt-c.js";
import { MQTTJS } from "./mqttjs.js";
import { MQTTJS_4 } from "./mqttjs-4.js";
import { PAHO_C } from "./paho-c.js";
import { PAHO_JAVA } from "./paho-java.js";
import { PAHO_PYTHON } from "./paho-python.js";
import { PUBSUBCLIENT } from "./pubsubclient.js";
import { CLIENT_LIBRARY_IDS, type ClientLibraryId, type ClientModel } from "./types.js";

/** Every client library model, in CLIENT_LIBRARY_IDS order. */
export const CLIENT_MODELS: readonly ClientModel[] = [
  MQTTJS,
  MQTTJS_4,
  MQTT_C,
  PAHO_C,
  PAHO_PYTHON,
  LIBMOSQUITTO,
  PAHO_JAVA,
  ESP_MQTT,
  PUBSUBCLIENT,
  COREMQTT,
];

export function isClientLibraryId(text: string): text is ClientLibraryId {
  return (CLIENT_LIBRARY_IDS as readonly string[]).includes(text);
}

export function clientModel(id: ClientLibraryId): ClientModel {
  const model = CLIENT_MODELS.find((m) => m.id === id);
  if (!model) throw new RangeError(`no client model ${id}`);
  return model;
}
