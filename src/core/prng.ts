/**
 * mulberry32, a small seeded PRNG: a fuzz run, a link's jitter and drop draws and a fleet client's reconnect jitter
 * each come from one of these, so a run is reproducible from its seed.
 */
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

/** A seed per name (FNV-1a): each client of a fleet draws its own sequence from one base seed. */
export function seedFor(base: number, name: string): number {
  let h = (0x811c9dc5 ^ base) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function randInt(rand: Rand, maxExclusive: number): number {
  return Math.floor(rand() * maxExclusive);
}

export function pick<T>(rand: Rand, items: readonly T[]): T {
  const item = items[randInt(rand, items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}
