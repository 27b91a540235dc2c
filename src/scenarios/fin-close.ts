import { peerGoneScenario } from "./peer-gone.js";

export const finClose = peerGoneScenario("fin-close", "fin");
