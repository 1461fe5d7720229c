// A reproducible random source from a 32-bit seed: the seed is stored with each allocation so the draw can be replayed.
import { xoroshiro128plus, unsafeUniformIntDistribution } from "pure-rand";
import { randomInt } from "node:crypto";
import type { RandomSource } from "../../domain/random";

export function createSeededRandom(seed: number): RandomSource {
  const generator = xoroshiro128plus(seed);
  return { nextInt: (maxExclusive) => unsafeUniformIntDistribution(0, maxExclusive - 1, generator) };
}

export function freshSeed(): number {
  return randomInt(0, 2 ** 31 - 1);
}
