import type { SubjectLibrary } from "./subject-library.js";

/**
 * What `half-open` found (issue 9): data only, src/report/half-open-lines.ts words it. Times are scenario ms
 * since the scenario started; null = did not happen within the wait.
 */
export interface HalfOpenOutcome {
  clientId: string;
  /** --client's library (real, or its model); undefined: the scenario's MQTT.js. */
  library?: SubjectLibrary;
  keepaliveMs: number;
  /** The link went silent both ways, for good: no byte, no FIN, no RST passes any more (power loss). */
  silentAt: number;
  /** The last packet that reached the broker before the silence. */
  lastInboundAt: number | null;
  /** The broker closed its end of the half-open connection (its FIN/RST reached the link, never the client). */
  brokerClosedAt: number | null;
  /** Where the profile's keepalive model puts that close (absolute scenario ms); null = it never closes. */
  predictedFromMs: number | null;
  predictedToMs: number | null;
  /**
   * The client's own keepalive gave up (MQTT.js "Keepalive timeout", or --client's library by its rule: never for
   * MQTT-C); its FIN was held by the dead link too.
   */
  clientTimeoutAt: number | null;
  /** TCP keepalive (SO_KEEPALIVE), the second net, with Linux's defaults. */
  tcpKeepalive: TcpKeepalive;
}

/** Linux's net.ipv4.tcp_keepalive_{time,intvl,probes}: first probe after idleS, then every intervalS, probes of them. */
export interface TcpKeepalive {
  idleS: number;
  intervalS: number;
  probes: number;
}

export const LINUX_TCP_KEEPALIVE: TcpKeepalive = { idleS: 7200, intervalS: 75, probes: 9 };

/** Seconds until TCP keepalive declares a silent peer dead: idle + probes × interval (Linux: 7875 s, 2 h 11 min). */
export function tcpKeepaliveDeadS(k: TcpKeepalive): number {
  return k.idleS + k.probes * k.intervalS;
}
