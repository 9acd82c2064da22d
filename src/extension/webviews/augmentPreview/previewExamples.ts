// Which training images "Other Images" shows next: a fresh random draw. Which images a preview shows is
// the user's choice; how each is augmented is training's (the seed and the epoch). No VS Code API here.

/** `count` distinct training examples drawn at random from `total`. */
export function otherExamples(total: number, count: number, random: () => number = Math.random): number[] {
  if (total <= count) return Array.from({ length: total }, (_, i) => i);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(random() * total));
  return [...chosen].sort((a, b) => a - b);
}
