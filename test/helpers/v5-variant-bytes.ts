import type { MalformedVariant } from "../../src/fleet/malformed.js";

/**
 * The MQTT 5 encoding of a malformed variant (its bytes are 3.1.1 encodings): PUBLISH and SUBSCRIBE get the
 * property length (0) that MQTT 5 adds after the topic / packet id, so on a 5 connection the packet is broken only
 * the way the variant means. Other variants are the same bytes on both versions.
 */
export function v5VariantBytes(variant: MalformedVariant): Buffer {
  const b = variant.bytes;
  const type = (b[0] ?? 0) >> 4;
  const length = b[1] ?? 0;
  // Only single-byte remaining lengths that match the bytes (not the overflow variant, not garbage).
  if (variant.beforeConnect || b.length < 2 || length & 0x80 || length !== b.length - 2) return b;
  if (type === 3 && length >= 2) {
    const qos = ((b[0] ?? 0) >> 1) & 3;
    const propertiesAt = 4 + b.readUInt16BE(2) + (qos > 0 ? 2 : 0);
    if (propertiesAt > b.length) return b;
    return Buffer.concat([
      Buffer.from([b[0] ?? 0, length + 1]),
      b.subarray(2, propertiesAt),
      Buffer.from([0]),
      b.subarray(propertiesAt),
    ]);
  }
  if (type === 8 && length === 2)
    return Buffer.concat([Buffer.from([b[0] ?? 0, 3]), b.subarray(2, 4), Buffer.from([0])]);
  return b;
}
