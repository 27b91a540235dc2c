import { peerGoneScenario } from "./peer-gone.js";

export const tcpRst = peerGoneScenario(
  "tcp-rst",
  "rst",
  "resets its TCP connection (SO_LINGER 0): the peer-gone lines, and no keepalive kick",
);
