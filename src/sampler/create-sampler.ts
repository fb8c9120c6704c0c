import { existsSync } from 'node:fs';
import { FallbackSampler } from './fallback/fallback-sampler.js';
import { LinuxSampler } from './linux/linux-sampler.js';
import type { Sampler } from './sampler.js';

export type SamplerChoice = 'auto' | 'linux' | 'fallback';

/** /proc where there is one (cheap, exact); systeminformation + pidusage elsewhere. */
export function createSampler(choice: SamplerChoice = 'auto', procRoot = '/proc'): Sampler {
  const linux = choice === 'linux' || (choice === 'auto' && process.platform === 'linux' && existsSync(`${procRoot}/stat`));
  return linux ? new LinuxSampler({ procRoot }) : new FallbackSampler();
}
