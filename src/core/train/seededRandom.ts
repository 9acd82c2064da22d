// Makes a run reproducible: every random draw of the run comes from one PRNG seeded by the run's seed.
import seedrandom from 'seedrandom';

/**
 * tfjs weight initialisers and dropout draw their seeds from Math.random when no seed is given, so the
 * trainer replaces Math.random with a seeded generator for the length of a run and restores it after.
 */
export function useSeededMathRandom(seed: number): { restore(): void } {
  const original = Math.random;
  const generator = seedrandom(`classifier-lab:${seed}`);
  Math.random = () => generator();
  return {
    restore() {
      Math.random = original;
    },
  };
}

/** An independent seeded stream, e.g. for shuffling epoch `n` or augmenting it. */
export function seededStream(seed: number, purpose: string): () => number {
  const generator = seedrandom(`classifier-lab:${seed}:${purpose}`);
  return () => generator();
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
