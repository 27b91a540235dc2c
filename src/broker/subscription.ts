import type { QoS } from "mqtt-packet";

/** One client's subscription to one filter. */
export interface Subscription {
  filter: string;
  qos: QoS;
  /** v5 No Local: do not deliver the subscriber's own messages. */
  noLocal: boolean;
  /** v5 Retain As Published. */
  retainAsPublished: boolean;
  /** (5.0) its Subscription Identifier (SUBSCRIBE property 0x0B), sent back with every message it matches. */
  identifier?: number;
  /** (5.0) a shared subscription `$share/<group>/<filter>` (`filter` above is the whole string). */
  share?: { group: string; filter: string };
}
