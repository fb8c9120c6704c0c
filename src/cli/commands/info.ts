import { machineSummaryLines } from '../../model/machine-summary.js';
import { readMachineFacts } from '../../sampler/machine-facts.js';
import type { Sampler } from '../../sampler/sampler.js';
import { writeOut } from '../output/write-out.js';

export async function runInfo(sampler: Sampler, options: { json?: boolean }): Promise<void> {
  const facts = await readMachineFacts();
  if (options.json) {
    await writeOut(`${JSON.stringify({ ...facts, sampler: sampler.kind }, null, 2)}\n`);
    return;
  }
  const lines = [...machineSummaryLines(facts), ['Sampler', sampler.kind] as [string, string]];
  await writeOut(lines.map(([label, value]) => `${label.padEnd(8)}${value}\n`).join(''));
}
