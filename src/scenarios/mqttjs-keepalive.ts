/** Moved to src/keepalive/clients/mqttjs.ts (the client library models, beside the broker models). */
export {
  MQTTJS_RESCHEDULING_PACKETS,
  mqttjsIntervalMs,
  mqttjsPingAfterMs,
  mqttjsTimeoutAfterMs,
} from "../keepalive/clients/mqttjs.js";
