// How each model keeps its cost near a 32-pixel image's on larger inputs (64, 96, 128 px photos): the
// factor by which it reduces the image's side first (a strided stem, row bands, larger patches).

/** Side length the models are sized for: larger images are reduced by about side / WORKING_SIZE. */
export const WORKING_SIZE = 32;

/** 1 up to 47 px, then about side / 32 (64 -> 2, 96 -> 3, 128 -> 4). */
export function inputDownsampling(side: number): number {
  return Math.max(1, Math.round(side / WORKING_SIZE));
}
