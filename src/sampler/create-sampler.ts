import { existsSync } from 'node:fs';
import { LinuxSampler } from './linux/linux-sampler.js';
import type { Sampler } from './sampler.js';

export type SamplerChoice = 'auto' | 'linux' | 'fallback';

/**
 * /proc where there is one (cheap, exact); elsewhere Node's own figures and one ps per scan. The
 * fallback is loaded only when chosen.
 */
export async function createSampler(choice: SamplerChoice = 'auto', procRoot = '/proc'): Promise<Sampler> {
  const linux =
    choice === 'linux' || (choice === 'auto' && process.platform === 'linux' && existsSync(`${procRoot}/stat`));
  if (linux) return new LinuxSampler({ procRoot });
  const { FallbackSampler } = await import('./fallback/fallback-sampler.js');
  return new FallbackSampler();
}
