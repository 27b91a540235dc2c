import { createRequire } from "node:module";
import mqttPacket from "mqtt-packet";

/** What mqtt-packet 9's numbers.js exports that is used here. */
interface Numbers {
  cache: Record<string, Buffer>;
  generateNumber(n: number): Buffer;
}

const numbers = createRequire(import.meta.url)("mqtt-packet/numbers.js") as Numbers;

const isPacketId = (key: string | symbol): key is string => {
  if (typeof key !== "string") return false;
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n <= 0xffff && String(n) === key;
};

/**
 * mqtt-packet encodes each 2-byte number (packet ids, keepalive…) as `cache[n]`, from a cache of 65,536 Buffers it
 * fills on its first encode: ~6 MB of heap for the life of the process. A number outside 0..65535 (a fuzzed
 * packet's id) finds no entry, and the encoded packet ends short at that field: the broker's replies keep that.
 *
 * Here the cache computes an entry when it is read instead of holding them all: the same bytes, the same
 * `undefined` out of range, without the 6 MB. Its only own entry is 0, which keeps mqtt-packet from filling it
 * (it fills an empty cache); every other id is answered by the prototype. Once per process; harmless if mqtt-packet
 * already filled the cache.
 */
function makeNumberCacheLazy(): void {
  const cache = numbers.cache;
  if (Object.keys(cache).length > 0) return;
  const base: object = Object.getPrototypeOf(cache);
  Object.setPrototypeOf(
    cache,
    new Proxy(base, {
      get: (target, key, receiver) =>
        isPacketId(key) ? numbers.generateNumber(Number(key)) : Reflect.get(target, key, receiver),
    }),
  );
  mqttPacket.writeToStream.cacheNumbers = false; // stops the fill pending since mqtt-packet loaded
  cache[0] = numbers.generateNumber(0);
  mqttPacket.writeToStream.cacheNumbers = true; // a non-empty cache: used as it is
}

makeNumberCacheLazy();
