// Where each user starts in the data, so users do not all send the same prompts in lock step (the old
// framework's users all walked the data from the start). Golden-ratio spacing spreads any number of
// users evenly without knowing how many there are.

const PHI = 0.6180339887498949;

/** Index of the `n`th item (0-based) user `user` asks for, in data of `size` items. */
export function itemIndex(user: number, n: number, size: number): number {
  if (!Number.isFinite(size)) return user * 2 ** 32 + n;
  if (size <= 0) return 0;
  const offset = Math.floor(((user * PHI) % 1) * size);
  return (offset + n) % size;
}
