/** mulberry32: a small seeded PRNG, so a fuzz run is reproducible from its seed. */
export type Rand = () => number;

export function prng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randInt(rand: Rand, maxExclusive: number): number {
  return Math.floor(rand() * maxExclusive);
}

export function pick<T>(rand: Rand, items: readonly T[]): T {
  const item = items[randInt(rand, items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}
