// Small helpers for nvidia-smi's CSV: split a line, read a number with or without its unit.

/** Splits one nvidia-smi CSV line ("a, b, c") into trimmed cells (nvidia-smi never quotes). */
export function splitCsvLine(line: string): string[] {
  return line.split(',').map((cell) => cell.trim());
}

/** "81559 MiB", "74.72 W", "0 %", "81559" -> number; "[N/A]", "N/A", "" -> undefined. */
export function readNumber(cell: string | undefined): number | undefined {
  if (cell === undefined) return undefined;
  const match = /^(-?\d+(?:\.\d+)?)(?:\s*[A-Za-z%]+)?$/.exec(cell.trim());
  return match ? Number(match[1]) : undefined;
}

/** A header cell "memory.total [MiB]" -> "memory.total". */
export function fieldName(header: string): string {
  return header.replace(/\s*\[[^\]]*\]\s*$/, '').trim();
}
