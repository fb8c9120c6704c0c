import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MachineFacts } from '../model/types.js';

/**
 * The machine facts, read by a helper process (facts-process.js next to this file), so the caller
 * never loads systeminformation: the long-running dashboard would carry its memory for hours.
 */
export function readMachineFactsApart(): Promise<MachineFacts> {
  const helper = fileURLToPath(new URL('./facts-process.js', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [helper], { timeout: 30_000, maxBuffer: 1024 * 1024 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as MachineFacts);
    });
  });
}
