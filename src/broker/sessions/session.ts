import type { IPublishPacket, QoS } from "mqtt-packet";
import type { Message } from "../message.js";

/** A QoS 1/2 message the broker sent and awaits an ack for; the packet is kept to re-send it [MQTT-4.4.0-1]. */
export interface OutboundFlight {
  qos: 1 | 2;
  /** QoS 2: PUBREC received, PUBREL sent, awaiting PUBCOMP. */
  released: boolean;
  packet: IPublishPacket;
  /** Clock ms the broker received the message (Message.receivedAt): NanoMQ re-sends only old enough ones. */
  receivedAt?: number;
}

/** A message routed to a session while no connection was attached. */
export interface QueuedMessage {
  message: Message;
  qos: QoS;
  retain: boolean;
}

/** (5.0) §3.1.2.11.2: 0xFFFFFFFF means the session does not expire. */
export const NEVER_EXPIRES_S = 0xffff_ffff;

/**
 * The server side of one MQTT session (3.1.1 §3.1.2.4, 5.0 §4.1): what outlives a connection when clean session is 0
 * (3.1.1) or the session expiry interval is above 0 (5.0). Subscriptions live in the SubscriptionTable by client id.
 */
export class Session {
  // created at first use: most sessions never have a QoS 1/2 message in flight (an empty Map or Set is ~200 bytes)
  private outboundFlights: Map<number, OutboundFlight> | undefined;
  private inboundQos2Ids: Set<number> | undefined;
  /** QoS 1/2 messages for the client while it is away, oldest first (bounded by the profile's session policy). */
  readonly queue: QueuedMessage[] = [];
  /**
   * Seconds the session lives after its connection closes: 0 = ends with the connection, NEVER_EXPIRES_S = never
   * (a 3.1.1 clean session 0 session, [MQTT-3.1.2-4] (3.1.1): kept until a clean session 1 CONNECT).
   */
  expiryS: number;
  /**
   * Stops what would end this session while its client is away (its expiry timer, or a NanoMQ kept pipe's tick duty,
   * ./cached-session.ts); undefined while attached.
   */
  stopEnding: (() => void) | undefined;
  /** Messages not queued because the queue was full. */
  dropped = 0;
  /** Dropping since the queue was last emptied: mosquitto logs the start of each such run once. */
  dropping = false;
  private nextMessageId = 1;

  constructor(
    readonly clientId: string,
    expiryS: number,
  ) {
    this.expiryS = expiryS;
  }

  /** Outbound QoS 1/2 messages sent and not yet completely acknowledged [MQTT-4.4.0-1]. */
  get outbound(): Map<number, OutboundFlight> {
    this.outboundFlights ??= new Map();
    return this.outboundFlights;
  }

  /** Inbound QoS 2 packet ids received and not yet released [MQTT-4.3.3-2] (3.1.1): kept across a reconnect. */
  get inboundQos2(): Set<number> {
    this.inboundQos2Ids ??= new Set();
    return this.inboundQos2Ids;
  }

  get persistent(): boolean {
    return this.expiryS > 0;
  }

  /** A free packet identifier, or undefined when all 65535 are in flight (the message is then dropped). */
  allocateMessageId(): number | undefined {
    for (let tries = 0; tries < 65535; tries++) {
      const id = this.nextMessageId;
      this.nextMessageId = id >= 65535 ? 1 : id + 1;
      if (!this.outboundFlights?.has(id)) return id;
    }
    return undefined;
  }
}
