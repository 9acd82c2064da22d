// The class names of CIFAR-10 and CIFAR-100: from the dataset's meta files, else the published names.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
];

export const CIFAR100_FINE_CLASS_NAMES: readonly string[] = [
  'apple', 'aquarium_fish', 'baby', 'bear', 'beaver', 'bed', 'bee', 'beetle', 'bicycle', 'bottle',
  'bowl', 'boy', 'bridge', 'bus', 'butterfly', 'camel', 'can', 'castle', 'caterpillar', 'cattle',
  'chair', 'chimpanzee', 'clock', 'cloud', 'cockroach', 'couch', 'crab', 'crocodile', 'cup', 'dinosaur',
  'dolphin', 'elephant', 'flatfish', 'forest', 'fox', 'girl', 'hamster', 'house', 'kangaroo', 'keyboard',
  'lamp', 'lawn_mower', 'leopard', 'lion', 'lizard', 'lobster', 'man', 'maple_tree', 'motorcycle', 'mountain',
  'mouse', 'mushroom', 'oak_tree', 'orange', 'orchid', 'otter', 'palm_tree', 'pear', 'pickup_truck', 'pine_tree',
  'plain', 'plate', 'poppy', 'porcupine', 'possum', 'rabbit', 'raccoon', 'ray', 'road', 'rocket',
  'rose', 'sea', 'seal', 'shark', 'shrew', 'skunk', 'skyscraper', 'snail', 'snake', 'spider',
  'squirrel', 'streetcar', 'sunflower', 'sweet_pepper', 'table', 'tank', 'telephone', 'television', 'tiger', 'tractor',
  'train', 'trout', 'tulip', 'turtle', 'wardrobe', 'whale', 'willow_tree', 'wolf', 'woman', 'worm',
];

export const CIFAR100_COARSE_CLASS_NAMES: readonly string[] = [
  'aquatic_mammals', 'fish', 'flowers', 'food_containers', 'fruit_and_vegetables',
  'household_electrical_devices', 'household_furniture', 'insects', 'large_carnivores',
  'large_man-made_outdoor_things', 'large_natural_outdoor_scenes', 'large_omnivores_and_herbivores',
  'medium_mammals', 'non-insect_invertebrates', 'people', 'reptiles', 'small_mammals', 'trees',
  'vehicles_1', 'vehicles_2',
];

/** Class names from a meta file (one per line), or undefined when it is missing or names too few. */
async function namesFromFile(file: string, needed: number): Promise<string[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const names = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  return names.length >= needed ? names.slice(0, needed) : undefined;
}

/**
 * The class names of a CIFAR dataset: from its meta file (batches.meta.txt, fine_label_names.txt or
 * coarse_label_names.txt in `dir`), else the published names.
 */
export async function cifarClassNames(dir: string, variant: 'cifar10' | 'cifar100', labels: 'fine' | 'coarse'): Promise<string[]> {
  if (variant === 'cifar10') return (await namesFromFile(join(dir, 'batches.meta.txt'), 10)) ?? [...CIFAR10_CLASS_NAMES];
  if (labels === 'fine') return (await namesFromFile(join(dir, 'fine_label_names.txt'), 100)) ?? [...CIFAR100_FINE_CLASS_NAMES];
  return (await namesFromFile(join(dir, 'coarse_label_names.txt'), 20)) ?? [...CIFAR100_COARSE_CLASS_NAMES];
}
