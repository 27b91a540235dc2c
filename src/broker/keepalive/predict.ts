/** Moved to src/keepalive (one keepalive-model module for broker, config, scenarios and probe). */
export * from "../../keepalive/predict.js";
