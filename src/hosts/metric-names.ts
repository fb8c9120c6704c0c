/**
 * The series paratop reads from each kind of exporter, in one table so a renamed series is one edit.
 * paratop's own names are those src/export/ writes (test/unit/export/hosts-round-trip.test.ts holds both to it).
 */
export const METRIC_NAMES = {
  nodeExporter: {
    /** labels cpu, mode */
    cpuSeconds: 'node_cpu_seconds_total',
    load: ['node_load1', 'node_load5', 'node_load15'],
    /** node_memory_<field>_bytes, the fields of /proc/meminfo */
    memoryPrefix: 'node_memory_',
    bootTime: 'node_boot_time_seconds',
  },
  processExporter: {
    /** labels groupname, mode (user, system) */
    cpuSeconds: 'namedprocess_namegroup_cpu_seconds_total',
    /** labels groupname, memtype: resident is the one read */
    memoryBytes: 'namedprocess_namegroup_memory_bytes',
    threads: 'namedprocess_namegroup_num_threads',
    members: 'namedprocess_namegroup_num_procs',
  },
  paratop: {
    /** labels pid, comm, user */
    cpuSeconds: 'paratop_process_cpu_seconds_total',
    residentBytes: 'paratop_process_resident_memory_bytes',
    threads: 'paratop_process_threads',
  },
} as const;

/** The /proc/meminfo fields read, as node_exporter names them between its prefix and `_bytes`. */
export const MEMORY_FIELDS = [
  'MemTotal',
  'MemFree',
  'MemAvailable',
  'Buffers',
  'Cached',
  'SReclaimable',
  'SwapTotal',
  'SwapFree',
] as const;

export type MemoryField = (typeof MEMORY_FIELDS)[number];

const WANTED: ReadonlySet<string> = new Set<string>([
  METRIC_NAMES.nodeExporter.cpuSeconds,
  ...METRIC_NAMES.nodeExporter.load,
  METRIC_NAMES.nodeExporter.bootTime,
  ...MEMORY_FIELDS.map((field) => `${METRIC_NAMES.nodeExporter.memoryPrefix}${field}_bytes`),
  ...Object.values(METRIC_NAMES.processExporter),
  ...Object.values(METRIC_NAMES.paratop),
]);

/** Whether a scrape's series of this name is read; everything else in a body is skipped unparsed. */
export function isWantedMetric(name: string): boolean {
  return WANTED.has(name);
}
