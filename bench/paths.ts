import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/paratop', import.meta.url));
export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
