"""The lab's grid search on a real distributed engine: Dask distributed or MPI (mpi4py.futures).

One task program for every engine: the same synthetic fit, which spins until it has used `taskMs`
of its own thread's CPU time, so each task costs the same whatever runs it. Standard library plus
the engine. paratop starts this file with one JSON argument (the spec) and reads our stdout: each
line starting with EVENT is a JSON event (tasks started and done, the cluster's processes, the end).

Roles (spec "role"): "driver" (default) runs the grid; "dask-scheduler" and "dask-worker" are the
local cluster's processes, started by the driver, which name themselves and end with it. Under
mpirun the driver is rank 0 and mpi4py.futures makes the other ranks the pool.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

EVENT = "@paratop-grid "
# Under mpirun the other ranks see other arguments first: the spec is the one JSON argument.
SPEC = next((json.loads(arg) for arg in reversed(sys.argv[1:]) if arg.startswith("{")), {})
ROLE = SPEC.get("role", "driver")
ENGINE = SPEC.get("engine", "dask")
WORKERS = int(SPEC.get("workers", 2))
TASK_MS = float(SPEC.get("taskMs", 200))
GRID = [int(size) for size in SPEC.get("grid", [3, 3, 2])]
# Bounded, whatever happens: a forgotten run stops by itself, and its cluster with it.
MAX_SECONDS = float(SPEC.get("maxSeconds", 600))
START_TIMEOUT = 60
# Dask serves health checks over HTTP even without its dashboard: on loopback, at a port the kernel picks.
LOOPBACK_ANY = "127.0.0.1:0"


def send(message):
    """One event line, written in one call so lines from several processes sharing the pipe never mix."""
    data = (EVENT + json.dumps(message) + "\n").encode()
    try:
        os.write(1, data)
    except OSError:
        pass


def name_process(name):
    """Name this process as the kernel sees it, so paratop's table says what each one is."""
    try:
        with open("/proc/self/comm", "w") as comm:
            comm.write(name[:15])
    except OSError:
        pass


def end_with_parent(parent_pid):
    """A cluster process ends when the driver that started it is gone (killed, or crashed)."""

    def watch():
        while os.getppid() == parent_pid:
            time.sleep(0.25)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def grid_points(grid):
    points = [[]]
    for size in grid:
        points = [point + [value] for point in points for value in range(size)]
    return points


def fit(task, params, task_ms):
    """The synthetic fit: `task_ms` of this thread's CPU time, then a score that depends on the parameters."""
    host = socket.gethostname()
    pid = os.getpid()
    start = time.time()
    send({"event": "start", "task": task, "host": host, "pid": pid, "t": start})
    began = time.thread_time()
    spins = 0
    while time.thread_time() - began < task_ms / 1000:
        for _ in range(1000):
            spins += 1
    score = -sum((value - 1.5) ** 2 for value in params) + (task % 7) / 100
    end = time.time()
    return {"task": task, "params": params, "score": score, "host": host, "pid": pid, "start": start, "end": end}


def free_port():
    """A free loopback port: the kernel picks it, so it is not in use now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def role_main(role):
    """A local cluster's scheduler or worker, run by distributed's own command-line code."""
    end_with_parent(int(SPEC["parentPid"]))
    name_process(SPEC.get("name", role))
    if role == "dask-scheduler":
        from distributed.cli.dask_scheduler import main as scheduler
        scheduler(args=SPEC["args"], prog_name="dask-scheduler")
    else:
        from distributed.cli.dask_worker import main as worker
        worker(args=SPEC["args"], prog_name="dask-worker")


def start_role(role, name, args):
    spec = dict(SPEC, role=role, name=name, args=args, parentPid=os.getpid())
    child = subprocess.Popen([sys.executable, __file__, json.dumps(spec)], stdin=subprocess.DEVNULL)
    send({"event": "process", "role": role, "name": name, "pid": child.pid})
    return child


def stop_all(children):
    """End the local cluster: SIGINT, up to 3 seconds, SIGKILL; nothing of it is left listening."""
    # Workers first, then the scheduler, each as Ctrl-C would: distributed closes quietly then.
    for child in reversed(children):
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 3
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def run_grid(submit, as_completed, points):
    """Submit every point, report each result as it comes, then the grid's wall time."""
    started = time.time()
    send({"event": "submitted", "tasks": len(points), "t": started})
    futures = [submit(fit, task, params, TASK_MS) for task, params in enumerate(points)]
    best = None
    for future in as_completed(futures):
        result = future.result()
        send(dict(result, event="done"))
        if best is None or result["score"] > best["score"]:
            best = result
    ended = time.time()
    send({"event": "finished", "t": ended, "wallSeconds": ended - started, "best": best and best["params"]})


def dask_main():
    import distributed
    from distributed import Client, as_completed

    children = []
    scheduler = SPEC.get("scheduler")
    # The workers' scratch space is ours, and goes with the cluster.
    scratch = tempfile.mkdtemp(prefix="paratop-dask-")
    try:
        if not scheduler:
            port = free_port()
            scheduler = f"tcp://127.0.0.1:{port}"
            args = ["--host", "127.0.0.1", "--port", str(port), "--no-dashboard", "--dashboard-address", LOOPBACK_ANY]
            children.append(start_role("dask-scheduler", "dask-scheduler", args))
            for index in range(1, WORKERS + 1):
                args = [scheduler, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1", "--no-dashboard"]
                args += ["--dashboard-address", LOOPBACK_ANY]
                args += ["--name", f"dask-worker-{index}", "--death-timeout", "30", "--local-directory", scratch]
                children.append(start_role("dask-worker", f"dask-worker-{index}", args))
        send({"event": "engine", "engine": "dask", "version": distributed.__version__, "scheduler": scheduler})
        with Client(scheduler, timeout=START_TIMEOUT) as client:
            if children:
                client.wait_for_workers(WORKERS, timeout=START_TIMEOUT)
            for worker in client.scheduler_info()["workers"].values():
                send({"event": "worker", "name": str(worker.get("name")), "host": worker.get("host")})
            # Each task is its own: two equal fits must not be merged into one by Dask's key hashing.
            run_grid(lambda *args: client.submit(*args, pure=False), as_completed, grid_points(GRID))
    finally:
        stop_all(children)
        shutil.rmtree(scratch, ignore_errors=True)


def mpi_main():
    import mpi4py
    from mpi4py import MPI
    from mpi4py.futures import MPIPoolExecutor, as_completed

    name_process("grid-mpi")
    library = MPI.Get_library_version().strip("\0 \n").splitlines()[0]
    send({"event": "engine", "engine": "mpi", "version": mpi4py.__version__, "library": library})
    with MPIPoolExecutor(initializer=name_rank) as pool:
        # The ranks join the pool before the clock starts, as the Dask workers do.
        pool.bootup(wait=True)
        run_grid(pool.submit, as_completed, grid_points(GRID))


def name_rank():
    name_process(f"mpi-rank-{os.environ.get('OMPI_COMM_WORLD_RANK', '?')}")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    bound = threading.Timer(MAX_SECONDS, lambda: os.kill(os.getpid(), signal.SIGTERM))
    bound.daemon = True
    bound.start()
    try:
        if ENGINE == "dask":
            name_process("grid-dask")
            dask_main()
        else:
            mpi_main()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - the reason goes to paratop, whatever it is
        send({"event": "error", "message": f"{type(error).__name__}: {error}"})
        sys.exit(1)


if __name__ == "__main__":
    if ROLE == "driver":
        main()
    else:
        role_main(ROLE)
