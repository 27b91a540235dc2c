/**
 * NanoMQ's `pipe close!` line (0.25.3 measured; INFO, `nano_pipe_close` in nmq_mqtt.c), written once for every
 * connection that closes after its CONNECT was accepted (docs/nanomq-names.md):
 *
 *     <client-id> pipe close! pipe=<pipe-id> reason_code=0x<rc> ip=<ip> clean_start=<0|1> event=<0|1> cache=<0|1>
 *
 * The pipe id is the one the 0.25 kick line prints (`close pipe <pipe-id> & kick client …`): NanoMQ sets it to a
 * hash of the client id, so it names a client, not one connection. 0.21.9 prints no such line at any level.
 */
export interface PipeClose {
  clientId: string;
  pipeId: number;
  /** The reason code the pipe closed with (closeReason() says what each means). */
  reasonCode: number;
  /** The client's IPv4 address as NanoMQ printed it (empty for an IPv6 client). */
  ip: string;
  cleanStart: boolean;
}

/** The literal every `pipe close!` line holds: a cheap gate before parsePipeClose. */
export const PIPE_CLOSE_ANCHOR = " pipe close! pipe=";

// The file log's prefix and source location (`stamp [tid] LEVEL path:line: `), or the console's (`path:line func: `).
const NANOMQ_LOCATION = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \[\d+\] [A-Z]+\s+\S+?:\d+(?: \w+)?: /;
const MESSAGE =
  /^(.*?) pipe close! pipe=(\d+) reason_code=0x([0-9a-fA-F]{1,8}) ip=(\S*) clean_start=(\d+)(?: |$)/;

/**
 * The `pipe close!` line in `text` (a whole NanoMQ log line, or its message alone), or undefined when it is none.
 * The client id is everything before ` pipe close!` (MQTT allows spaces in it).
 */
export function parsePipeClose(text: string): PipeClose | undefined {
  if (!text.includes(PIPE_CLOSE_ANCHOR)) return undefined;
  const location = NANOMQ_LOCATION.exec(text);
  const m = MESSAGE.exec(location ? text.slice(location[0].length) : text);
  if (!m) return undefined;
  const pipeId = Number(m[2]);
  if (!Number.isSafeInteger(pipeId)) return undefined;
  return {
    clientId: m[1] as string,
    pipeId,
    reasonCode: Number.parseInt(m[3] as string, 16),
    ip: m[4] as string,
    cleanStart: m[5] !== "0",
  };
}

/** A reason code as NanoMQ prints it: `0x8d`. */
export function reasonCodeText(code: number): string {
  return `0x${code.toString(16).padStart(2, "0")}`;
}

/**
 * What a `pipe close!` reason code says, as measured on 0.25.3 (docs/nanomq-names.md): the MQTT 5 reason code the
 * broker set, or the nng error its receive ended with.
 */
export function closeReason(code: number): string {
  switch (code) {
    case 0x00:
      return "no reason set: a clean DISCONNECT, the old connection of a takeover, or the broker stopping";
    case 0x07:
      return "nng 7 (object closed): the broker closed the pipe itself, e.g. after rejecting a PUBLISH";
    case 0x11:
      return "nng 17 (message too large): a broken remaining length";
    case 0x81:
      return "malformed packet";
    case 0x82:
      return "protocol error";
    case 0x8b:
      return "the connection shut down under it: the client reset or closed it (RST, FIN without DISCONNECT)";
    case 0x8d:
      return "keepalive timeout: the broker kicked it";
    case 0x8e:
      return "session expired (read in the source, not measured)";
    case 0x95:
      return "packet too large (read in the source, not measured)";
    default:
      return "a reason code not measured here";
  }
}
