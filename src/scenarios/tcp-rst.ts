import { peerGoneScenario } from "./peer-gone.js";

export const tcpRst = peerGoneScenario("tcp-rst", "rst");
