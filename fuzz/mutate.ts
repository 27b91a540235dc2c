import { pick, type Rand, randInt } from "./prng.js";

/** One random mutation of `packet`: the kinds of damage a broker's parser must survive. */
export function mutate(rand: Rand, packet: Buffer, other: Buffer): Buffer {
  const bytes = Buffer.from(packet);
  switch (randInt(rand, 9)) {
    case 0: {
      // flip one bit
      const i = randInt(rand, bytes.length);
      bytes[i] = (bytes[i] ?? 0) ^ (1 << randInt(rand, 8));
      return bytes;
    }
    case 1: {
      // overwrite a byte
      bytes[randInt(rand, bytes.length)] = randInt(rand, 256);
      return bytes;
    }
    case 2: // truncate (the rest arrives as the start of the next packet)
      return bytes.subarray(0, randInt(rand, bytes.length));
    case 3: {
      // insert random bytes
      const at = randInt(rand, bytes.length + 1);
      const noise = Buffer.from(Array.from({ length: 1 + randInt(rand, 6) }, () => randInt(rand, 256)));
      return Buffer.concat([bytes.subarray(0, at), noise, bytes.subarray(at)]);
    }
    case 4: {
      // change the packet type (and flags) nibble
      bytes[0] = (randInt(rand, 16) << 4) | ((bytes[0] ?? 0) & 0x0f);
      return bytes;
    }
    case 5: {
      // set reserved / QoS flag bits
      bytes[0] = ((bytes[0] ?? 0) & 0xf0) | randInt(rand, 16);
      return bytes;
    }
    case 6: {
      // lie about the remaining length
      if (bytes.length > 1) bytes[1] = pick(rand, [0, 1, 0x7f, 0x80, 0xff, randInt(rand, 256)]);
      return bytes;
    }
    case 7: // splice the head of one packet onto the tail of another
      return Buffer.concat([
        bytes.subarray(0, randInt(rand, bytes.length + 1)),
        other.subarray(randInt(rand, other.length)),
      ]);
    default: {
      // corrupt a string length prefix inside the variable header
      if (bytes.length > 3) bytes.writeUInt16BE(pick(rand, [0, 1, 0xffff, randInt(rand, 0x10000)]), 2);
      return bytes;
    }
  }
}
