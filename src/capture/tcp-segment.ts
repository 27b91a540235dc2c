/** One TCP segment as decoded from a captured frame (IPv4 or IPv6). */
export interface TcpSegment {
  packet: number;
  timeMs: number;
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  syn: boolean;
  ackFlag: boolean;
  fin: boolean;
  rst: boolean;
  /** The payload bytes captured (valid only during the callback). */
  payload: Buffer;
  /** The payload's length on the wire: more than payload.length when the capture's snaplen cut the frame. */
  payloadLength: number;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;
