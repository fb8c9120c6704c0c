/** The kernel's CPU list format ("0-3,8,10-11", as in Cpus_allowed_list and taskset -c) to core numbers and back. */

/** Core numbers in a CPU list, ascending and without repeats; null when the text is not a CPU list. */
export function parseCpuList(text: string): number[] | null {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const cores = new Set<number>();
  for (const part of trimmed.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) return null;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first) return null;
    for (let core = first; core <= last; core += 1) cores.add(core);
  }
  return [...cores].sort((a, b) => a - b);
}

/** The shortest CPU list for these cores: runs of three or more as ranges ("0-2,5"). */
export function formatCpuList(cores: readonly number[]): string {
  const sorted = [...new Set(cores)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = 0;
  while (start < sorted.length) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === (sorted[end] ?? 0) + 1) end += 1;
    const first = sorted[start];
    const last = sorted[end];
    if (end === start) parts.push(String(first));
    else if (end === start + 1) parts.push(`${first},${last}`);
    else parts.push(`${first}-${last}`);
    start = end + 1;
  }
  return parts.join(',');
}
