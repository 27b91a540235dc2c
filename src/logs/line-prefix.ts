import type { Dialect } from "../signatures/types.js";
import type { LogTime } from "./timestamp.js";

/** What a line's prefix says: when, which thread (NanoMQ), and where the message starts. */
export interface LinePrefix {
  dialect: Dialect;
  time: LogTime | null;
  thread: string | null;
  level: string | null;
  /** Index in the line where the part after the timestamp/level begins. */
  bodyStart: number;
}
