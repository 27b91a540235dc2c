/** Link types read (LINKTYPE_* numbers, as pcap and pcapng headers carry them). */
export const LINK_TYPES = {
  0: "loopback (NULL)",
  1: "Ethernet",
  12: "raw IP",
  14: "raw IP",
  101: "raw IP",
  108: "loopback (LOOP)",
  113: "Linux cooked (SLL)",
  228: "raw IPv4",
  229: "raw IPv6",
  276: "Linux cooked v2 (SLL2)",
} as const satisfies Record<number, string>;

export function isKnownLinkType(linkType: number): boolean {
  return linkType in LINK_TYPES;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100]);

/**
 * Where the IP header starts in a frame of this link type, or -1 when the frame carries no IPv4/IPv6 (ARP, LLDP,
 * an unknown link type). Loopback and raw-IP frames are recognised by the IP version nibble rather than by the
 * address family, whose value differs between operating systems (AF_INET6 is 10, 24, 28 or 30).
 */
export function ipOffset(linkType: number, frame: Buffer): number {
  switch (linkType) {
    case 1:
      return ethernetPayload(frame, 12);
    case 113:
      return etherTypeIsIp(frame, 14) ? 16 : -1;
    case 276:
      return etherTypeIsIp(frame, 0) ? 20 : -1;
    case 0:
    case 108:
      return ipVersionAt(frame, 4) ? 4 : -1;
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      return ipVersionAt(frame, 0) ? 0 : -1;
    default:
      return -1;
  }
}

/** Ethernet: the EtherType after the two MAC addresses, past any 802.1Q / 802.1ad VLAN tags. */
function ethernetPayload(frame: Buffer, typeAt: number): number {
  let at = typeAt;
  while (frame.length >= at + 2 && VLAN_TAGS.has(frame.readUInt16BE(at))) at += 4;
  return etherTypeIsIp(frame, at) ? at + 2 : -1;
}

function etherTypeIsIp(frame: Buffer, at: number): boolean {
  if (frame.length < at + 2) return false;
  const type = frame.readUInt16BE(at);
  return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6;
}

function ipVersionAt(frame: Buffer, at: number): boolean {
  const v = (frame[at] ?? 0) >> 4;
  return v === 4 || v === 6;
}
