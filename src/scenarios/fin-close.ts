import { peerGoneScenario } from "./peer-gone.js";

export const finClose = peerGoneScenario(
  "fin-close",
  "fin",
  "closes its TCP connection (FIN) without DISCONNECT: the same peer-gone lines as a reset",
);
