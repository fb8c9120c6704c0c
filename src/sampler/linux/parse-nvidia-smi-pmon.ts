/**
 * `nvidia-smi pmon -s u`: per process, the share of each GPU's time its kernels ran (sm %), as a
 * table: '#' header lines naming the columns (repeated now and then), then a row per process per
 * GPU per loop, `-` where a figure is missing, and a `-` row for a GPU with no process. Pure.
 */

/** Where the wanted figures are in a row. */
export interface PmonColumns {
  gpu: number;
  pid: number;
  sm: number;
}

/** `# gpu pid type sm mem enc dec command`: the layout before any header has been read. */
export const CLASSIC_PMON_COLUMNS: PmonColumns = { gpu: 0, pid: 1, sm: 3 };

/** pmon's loop: `loopMs` in the whole seconds its -d takes (1 to 10). */
export function pmonSeconds(loopMs: number): number {
  return Math.min(10, Math.max(1, Math.round(loopMs / 1000)));
}

/** The arguments of the looping per-process query: utilisation only. */
export function nvidiaSmiPmonArgs(loopMs: number): string[] {
  return ['pmon', '-s', 'u', '-d', String(pmonSeconds(loopMs))];
}

/** The columns a header line names (`# gpu pid type sm ...`); null for the units line and any other. */
export function parsePmonHeader(line: string): PmonColumns | null {
  const text = line.trim();
  if (!text.startsWith('#')) return null;
  const names = text.slice(1).trim().toLowerCase().split(/\s+/);
  const gpu = names.indexOf('gpu');
  const pid = names.indexOf('pid');
  const sm = names.indexOf('sm');
  return gpu < 0 || pid < 0 || sm < 0 ? null : { gpu, pid, sm };
}

export interface PmonRow {
  gpuIndex: number;
  pid: number;
  /**
   * The share of the GPU's time its kernels ran, %. NVML gives samples only to processes that ran
   * in the interval, so a listed process's `-` is 0.
   */
  smPercent: number;
}

/** One process row; null for a header, a GPU with no process (`-` pid), or anything else. */
export function parsePmonRow(line: string, columns: PmonColumns): PmonRow | null {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return null;
  const fields = text.split(/\s+/);
  const gpuText = fields[columns.gpu] ?? '';
  const pidText = fields[columns.pid] ?? '';
  const smText = fields[columns.sm] ?? '';
  if (!/^\d+$/.test(gpuText) || !/^\d+$/.test(pidText)) return null;
  const pid = Number(pidText);
  if (pid <= 0) return null;
  const sm = smText === '-' ? 0 : Number(smText);
  if (!/^(-|\d+(\.\d+)?)$/.test(smText) || !Number.isFinite(sm)) return null;
  return { gpuIndex: Number(gpuText), pid, smPercent: sm };
}
