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
}

export const DEFAULT_LIMITS: BrokerLimits = {
  maxPacketBytes: 1024 * 1024,
  maxOutboundBytes: 1024 * 1024,
};
