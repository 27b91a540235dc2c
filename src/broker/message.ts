import type { IPublishPacket, QoS } from "mqtt-packet";

/** An application message on its way through the broker. */
export interface Message {
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: boolean;
  properties?: IPublishPacket["properties"];
  /** Clock ms when the broker received it: its Message Expiry Interval counts from here (./sessions/message-expiry.ts). */
  receivedAt?: number;
  /** (5.0) the Subscription Identifiers of the subscriptions this copy goes out for (one subscriber's copy). */
  subscriptionIds?: readonly number[];
}
