/**
 * The hook for naming a client library from its ping rhythm: a library model says which gaps between PINGREQs it
 * produces at a keepalive; a client whose steady gaps all fall in one library's range is said to match it. The
 * client-library models (another part of the keepalive module) plug in here as `LibraryRhythm`s; with none
 * given, nothing is named.
 */
export interface LibraryRhythm {
  id: string;
  /** The idle gap between PINGREQs this library produces at `keepaliveS`, ms. */
  pingGapMs(keepaliveS: number): { minMs: number; maxMs: number };
}

export interface LibraryMatch {
  library: string;
  /** The median observed gap, ms. */
  gapMs: number;
}

/** At least this many PINGREQ gaps before a rhythm is read at all. */
const MIN_GAPS = 2;

/** The libraries whose gap range holds every observed gap (after the first, which starts at CONNECT). */
export function matchLibraries(
  pingGapsMs: readonly number[],
  keepaliveS: number,
  rhythms: readonly LibraryRhythm[],
): LibraryMatch[] {
  if (pingGapsMs.length < MIN_GAPS || rhythms.length === 0) return [];
  const sorted = [...pingGapsMs].sort((a, b) => a - b);
  const gapMs = sorted[Math.floor(sorted.length / 2)] as number;
  return rhythms
    .filter((r) => {
      const range = r.pingGapMs(keepaliveS);
      return pingGapsMs.every((g) => g >= range.minMs && g <= range.maxMs);
    })
    .map((r) => ({ library: r.id, gapMs }));
}
