/**
 * Whether a host of the hosts view (--hosts, --prometheus) is one an engine's workers run on. Dask
 * names a worker's host by address, the task program by hostname; the hosts view has an address
 * with a port and a name. Any of them equal (case aside, or a short name against a full one) will do.
 */
export function isWorkerHost(host: { host: string; name: string }, workerHosts: readonly string[]): boolean {
  if (workerHosts.length === 0) return false;
  const address = host.host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  const mine = [address, host.name].map((name) => name.toLowerCase());
  return workerHosts.some((worker) => {
    const name = worker.toLowerCase();
    return mine.some(
      (candidate) => candidate === name || (isName(candidate) && isName(name) && short(candidate) === short(name)),
    );
  });
}

/** A host name, not an address: only names have a short form (10.0.0.5 is not "10"). */
function isName(text: string): boolean {
  return /[a-z]/.test(text) && !text.includes(':');
}

function short(name: string): string {
  return name.split('.')[0] ?? name;
}
