// The raw client reads every socket into one shared buffer and lends its parsers a range of it.
// `lend` does the same in tests: copies `piece` into a shared scratch buffer at an offset, with
// line and chunk framing bytes on both sides, calls `use(buffer, start, end)`, then overwrites the
// whole scratch buffer, so a parser that kept a reference instead of a copy reads garbage.

const SCRATCH = Buffer.alloc(16 * 1024);
const GARBAGE = Buffer.from('\r\n0\r\n\r\ndata: {"stale":1}\n\n');

function scribble(): void {
  for (let at = 0; at < SCRATCH.length; at += GARBAGE.length) GARBAGE.copy(SCRATCH, at);
}

/** Runs `use` on `piece` lent at an odd offset of the shared scratch buffer, then scribbles over it. */
export function lend(piece: Uint8Array, use: (buffer: Buffer, start: number, end: number) => void): void {
  if (piece.length + 64 > SCRATCH.length) throw new Error('piece larger than the scratch buffer');
  scribble();
  const start = 7;
  SCRATCH.set(piece, start);
  use(SCRATCH, start, start + piece.length);
  scribble();
}
