/** `value` rounded half up to `digits` decimals (3 by default), for measured numbers in findings. */
export const round = (value: number, digits = 3): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
