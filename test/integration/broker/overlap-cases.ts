import type { OverlapSub } from "./overlap.js";

/**
 * The overlapping-subscription cases run on every broker side by side: name, MQTT version, the subscriptions in the
 * order made (x = the exact topic), and what each real broker sent, measured (the same in every run, 2 runs each):
 * `r` = the retained message sent on the SUBSCRIBEs, `m` = the message published after; `q<QoS> [<ids>]`.
 */
export interface OverlapCase {
  name: string;
  version: 4 | 5;
  subs: OverlapSub[];
  /** mosquitto 2.0.11: MQTT 5 one copy per subscription in topic-tree order (exact, +, #); 3.1.1 only the first. */
  mosquitto: string[];
  /** NanoMQ 0.25.3: one copy per subscription in subscribe order; each SUBSCRIBE re-sends the retained message for
   * every earlier matching subscription too. */
  nanomq: string[];
}

export const OVERLAP_CASES: readonly OverlapCase[] = [
  {
    name: "v5 exact q0, + q1 id 7, # q0 id 9",
    version: 5,
    subs: [
      { level: "x", qos: 0 },
      { level: "+", qos: 1, id: 7 },
      { level: "#", qos: 0, id: 9 },
    ],
    mosquitto: ["r q0 []", "r q1 [7]", "r q0 [9]", "m q0 []", "m q1 [7]", "m q0 [9]"],
    nanomq: [
      "r q0 []",
      "r q0 []",
      "r q1 [7]",
      "r q0 []",
      "r q1 [7]",
      "r q0 [9]",
      "m q0 []",
      "m q1 [7]",
      "m q0 [9]",
    ],
  },
  {
    name: "v5 # q0 id 9, + q1 id 7, exact q0",
    version: 5,
    subs: [
      { level: "#", qos: 0, id: 9 },
      { level: "+", qos: 1, id: 7 },
      { level: "x", qos: 0 },
    ],
    mosquitto: ["r q0 [9]", "r q1 [7]", "r q0 []", "m q0 []", "m q1 [7]", "m q0 [9]"],
    nanomq: [
      "r q0 [9]",
      "r q0 [9]",
      "r q1 [7]",
      "r q0 [9]",
      "r q1 [7]",
      "r q0 []",
      "m q0 [9]",
      "m q1 [7]",
      "m q0 []",
    ],
  },
  {
    name: "v4 exact q1, + q0",
    version: 4,
    subs: [
      { level: "x", qos: 1 },
      { level: "+", qos: 0 },
    ],
    mosquitto: ["r q1 []", "r q0 []", "m q1 []"],
    nanomq: ["r q1 []", "r q1 []", "r q0 []", "m q1 []", "m q0 []"],
  },
  {
    name: "v4 + q0, exact q1",
    version: 4,
    subs: [
      { level: "+", qos: 0 },
      { level: "x", qos: 1 },
    ],
    // the first in tree order is the exact filter: its QoS 1, though + (QoS 0) was made first
    mosquitto: ["r q0 []", "r q1 []", "m q1 []"],
    nanomq: ["r q0 []", "r q0 []", "r q1 []", "m q0 []", "m q1 []"],
  },
];
