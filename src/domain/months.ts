// Calendar months as "yyyy-mm" strings, the partition keys of the month's work.
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The `count` months before `month`, nearest first. */
export function monthsBefore(month: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(month, -(i + 1)));
}
