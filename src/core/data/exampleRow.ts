// Index views shared by the example sources: position `index` of a view maps to a stored row.

/** The stored row behind position `index` of a view over `rows` (all rows in order when undefined). */
export function exampleRow(rows: Int32Array | undefined, count: number, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`example index ${index} is outside 0..${count - 1}`);
  }
  return rows ? rows[index] : index;
}
