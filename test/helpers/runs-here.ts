/**
 * Whether tests of a real part run: true when nothing is missing (`missing` undefined); under CI a missing part
 * throws (never skip in CI); elsewhere one warning line and false.
 */
export function runsHere(missing: string | undefined, tests: string, how: string): boolean {
  if (missing === undefined) return true;
  if (process.env.CI) throw new Error(`${missing}, and CI must run ${tests} (${how})`);
  console.warn(`${missing}: skipping ${tests} (${how})`);
  return false;
}
