/** (5.0) §3.1.2.11.3 / §3.2.2.3.3: a Receive Maximum absent from CONNECT or CONNACK is 65,535. */
export const DEFAULT_RECEIVE_MAXIMUM = 65_535;

/**
 * What one connection may cost the broker, whatever it sends or fails to read. Real brokers have the same knobs
 * (mosquitto `max_packet_size` / `max_queued_bytes`, NanoMQ `max_packet_size` / `max_mqueue_len`).
 */
export interface BrokerLimits {
  /**
   * The largest whole packet (fixed header included) the broker accepts. A larger one is refused as soon as its
   * remaining length is read, before its body is buffered, and the connection is closed.
   */
  maxPacketBytes: number;
  /**
   * Bytes written to a connection and not yet taken by the peer (its socket's write buffer) beyond which messages
   * routed to it are dropped (and counted) instead of queued: a subscriber that never reads cannot make the broker
   * grow without bound.
   */
  maxOutboundBytes: number;
  /**
   * (5.0) The broker's own Receive Maximum (§3.2.2.3.3): how many QoS 1/2 publications it takes from a client at
   * once. Below 65,535 the spec profile says so in its CONNACK; a client that goes past it is disconnected with
   * 0x93 on the profiles that check it (src/broker/flow/inbound-quota.ts).
   */
  receiveMaximum: number;
}

export const DEFAULT_LIMITS: BrokerLimits = {
  maxPacketBytes: 1024 * 1024,
  maxOutboundBytes: 1024 * 1024,
  // absent from the CONNACK, a server's Receive Maximum is 65,535 (§3.2.2.3.3)
  receiveMaximum: DEFAULT_RECEIVE_MAXIMUM,
};
