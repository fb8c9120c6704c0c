"""The lab's real Python workloads, for watching the real GIL beside paratop's simulation.

Standard library only. paratop starts this file with one JSON argument (the spec) and talks to it
in JSON lines: it reads our stdout, we read our stdin. Our stdin closing means paratop is gone, and
then so are we (and our child processes, which watch us in turn).

Modes that fork do so before this process starts any thread (the stdin watcher included): forking a
process that has threads is unsafe, and Python 3.12+ warns about it.
"""
import hashlib
import heapq
import json
import multiprocessing
import os
import random
import selectors
import socket
import sys
import sysconfig
import threading
import time
from queue import Empty

SPEC = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
MODE = SPEC.get("mode", "gil")
WORKERS = int(SPEC.get("workers", 2))
PREFIX = SPEC.get("namePrefix", "py-worker")
# Bounded, whatever happens: a forgotten workload stops by itself. paratop passes its run's bound.
MAX_SECONDS = float(SPEC.get("maxSeconds", 600))
PROGRESS_SECONDS = 0.25
WRITE_LOCK = threading.Lock()


def send(message):
    """One JSON line on stdout, written in one call so lines from several processes never mix."""
    data = (json.dumps(message) + "\n").encode()
    with WRITE_LOCK:
        try:
            os.write(1, data)
        except OSError:
            os._exit(0)


def name_thread(name):
    """Name the calling thread as the kernel sees it (what paratop's thread view shows)."""
    threading.current_thread().name = name
    try:
        with open("/proc/thread-self/comm", "w") as comm:
            comm.write(name[:15])
    except OSError:
        pass


def report_in(index, name):
    send({"type": "ready", "index": index, "pid": os.getpid(), "tid": threading.get_native_id(), "name": name})


def free_threaded():
    """True on a free-threaded CPython build (3.13t and later), where the GIL is off."""
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        gil = getattr(sys, "_is_gil_enabled", None)
        return not gil() if gil else True
    return False


STOP = threading.Event()


def watch_paratop():
    """paratop writes {"type": "stop"} to ask; our stdin ending means it has died.

    Read with os.read, not sys.stdin: a thread blocked inside sys.stdin holds its lock, and a child
    forked meanwhile (multiprocessing closes stdin in every child) would wait for it forever.
    """
    pending = b""
    while True:
        chunk = os.read(0, 4096)
        if not chunk:
            break
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            try:
                if json.loads(line).get("type") == "stop":
                    STOP.set()
                    return
            except ValueError:
                continue
    STOP.set()
    time.sleep(1.5)
    os._exit(0)


def start_watching():
    """Listen to paratop from now on. Call it after any fork: see the note at the top."""
    threading.Thread(target=watch_paratop, name=f"{PREFIX}-stdin", daemon=True).start()


def watch_parent(parent_pid):
    """In a child process: end when our Python parent is gone (we were re-parented).

    Only getppid(), no shared lock: a parent killed while holding one would leave us waiting forever.
    """
    while os.getppid() == parent_pid:
        time.sleep(0.25)
    os._exit(0)


class StopFlag:
    """A lock-free flag in shared memory, set by the parent, polled by its children."""

    def __init__(self, context):
        self._value = context.RawValue("b", 0)

    def set(self):
        self._value.value = 1

    def is_set(self):
        return self._value.value == 1

    def wait(self, seconds):
        deadline = time.monotonic() + seconds
        while not self.is_set() and time.monotonic() < deadline:
            time.sleep(0.1)


# -- work -----------------------------------------------------------------------------------------

# Work units each thread does before it ends (0: until stopped), for runs that time a fixed job.
UNITS = int(SPEC.get("units", 0))


def spin_pure_python(counter, slot, stop, deadline):
    """Pure Python: every step holds the GIL, so threads take turns on one core."""
    x = 1
    while not stop.is_set() and time.monotonic() < deadline and (UNITS == 0 or counter[slot] < UNITS):
        for _ in range(20000):
            x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        counter[slot] += 1


BUFFER = bytes(4 * 1024 * 1024)


def hash_large_buffers(counter, slot, stop, deadline):
    """hashlib releases the GIL while it hashes a large buffer: threads really run side by side."""
    while not stop.is_set() and time.monotonic() < deadline:
        hashlib.sha256(BUFFER).digest()
        counter[slot] += 1


def run_threads(work):
    counter = [0] * WORKERS
    deadline = time.monotonic() + MAX_SECONDS

    def body(slot):
        name = f"{PREFIX}-{slot + 1}"
        name_thread(name)
        report_in(slot + 1, name)
        work(counter, slot, STOP, deadline)

    start_watching()
    threads = [threading.Thread(target=body, args=(slot,), daemon=True) for slot in range(WORKERS)]
    for thread in threads:
        thread.start()
    report_progress_until(counter, threads)


def report_progress_until(counter, threads):
    while not STOP.is_set() and any(thread.is_alive() for thread in threads):
        send({"type": "progress", "units": list(counter)})
        time.sleep(PROGRESS_SECONDS)
    STOP.set()
    for thread in threads:
        thread.join(1)
    send({"type": "progress", "units": list(counter), "final": True})


def process_spin(slot, counter, stop_event, parent_pid):
    name = f"{PREFIX}-{slot + 1}"
    name_thread(name)
    threading.Thread(target=watch_parent, args=(parent_pid,), daemon=True).start()
    report_in(slot + 1, name)
    deadline = time.monotonic() + MAX_SECONDS
    x = 1
    while not stop_event.is_set() and time.monotonic() < deadline:
        for _ in range(20000):
            x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        counter[slot] += 1


def run_processes():
    context = multiprocessing.get_context("fork")
    counter = context.Array("q", WORKERS, lock=False)
    stop_event = StopFlag(context)
    children = [context.Process(target=process_spin, args=(slot, counter, stop_event, os.getpid()), daemon=True) for slot in range(WORKERS)]
    for child in children:
        child.start()
    start_watching()
    while not STOP.is_set() and any(child.is_alive() for child in children):
        send({"type": "progress", "units": list(counter)})
        time.sleep(PROGRESS_SECONDS)
    stop_event.set()
    for child in children:
        child.join(1)
        if child.is_alive():
            child.kill()
    send({"type": "progress", "units": list(counter), "final": True})


# -- CPU-bound against I/O-bound ------------------------------------------------------------------

def serve_with_delay(listener, delay):
    """Answer each request line after `delay` seconds: what an I/O-bound thread waits for.

    One thread and a heap of timers, not a thread per request: it holds the GIL only for moments, so
    the threads being measured are not slowed by it.
    """
    name_thread(f"{PREFIX}-service")
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    due = []
    order = 0
    while not STOP.is_set():
        timeout = max(0.0, due[0][0] - time.monotonic()) if due else 0.1
        for key, _ in selector.select(min(timeout, 0.1)):
            if key.fileobj is listener:
                connection, _ = listener.accept()
                connection.setblocking(False)
                selector.register(connection, selectors.EVENT_READ)
                continue
            try:
                data = key.fileobj.recv(4096)
            except OSError:
                data = b""
            if not data:
                selector.unregister(key.fileobj)
                key.fileobj.close()
                continue
            for _ in range(data.count(b"\n")):
                order += 1
                heapq.heappush(due, (time.monotonic() + delay, order, key.fileobj))
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, connection = heapq.heappop(due)
            try:
                connection.sendall(b"ok\n")
            except OSError:
                pass


def prepare_request():
    """A little pure-Python work with the GIL held, as parsing a request or an answer would be."""
    x = 1
    for _ in range(2000):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
    return x


def run_io_threads():
    """Threads that mostly wait on a socket: CPython releases the GIL in recv(), so they wait together."""
    requests = int(SPEC.get("count", 8))
    delay = float(SPEC.get("delayMs", 50)) / 1000
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    threading.Thread(target=serve_with_delay, args=(listener, delay), daemon=True).start()

    def make_requests(counter, slot, stop, deadline):
        waited = 0.0
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for _ in range(requests):
                if stop.is_set() or time.monotonic() > deadline:
                    break
                prepare_request()
                sent = time.perf_counter()
                connection.sendall(b"r\n")
                answer = b""
                while not answer.endswith(b"\n"):
                    chunk = connection.recv(64)
                    if not chunk:
                        break
                    answer += chunk
                waited += time.perf_counter() - sent
                counter[slot] += 1
        # CPython's GIL waits cannot be timed from Python: paratop works them out from CPU time.
        send({"type": "waits", "index": slot + 1, "ioMs": waited * 1000, "lockMs": None})

    run_threads(make_requests)


# -- the gotchas ----------------------------------------------------------------------------------

counter_value = 0
# At most this many loop steps between reading the counter and writing it back.
RACE_WORK = 10


def run_race():
    """counter += 1 across threads, with work between the read and the write.

    Since CPython 3.10 the interpreter offers to switch threads only at certain points (the end of a
    loop, a call), none of them inside a bare `counter += 1`, so that seldom loses an update any more.
    Real code does something between reading a value and writing it back; here a short loop of random
    length stands for it. The interpreter may switch threads inside it (every 5 ms a waiting thread
    asks for the GIL), and the other thread's increments made meanwhile are overwritten: how many
    depends on where the switches fall, so it differs from run to run.
    """
    global counter_value
    counter_value = 0
    count = int(SPEC.get("count", 2000))
    done = [0] * WORKERS
    # The threads start together, so they really overlap.
    go = threading.Event()

    def body(slot):
        global counter_value
        name = f"{PREFIX}-{slot + 1}"
        name_thread(name)
        report_in(slot + 1, name)
        work = random.Random().randrange
        go.wait()
        for _ in range(count):
            if STOP.is_set():
                return
            value = counter_value
            for _ in range(work(RACE_WORK)):
                pass
            counter_value = value + 1
            done[slot] += 1

    start_watching()
    threads = [threading.Thread(target=body, args=(slot,), daemon=True) for slot in range(WORKERS)]
    for thread in threads:
        thread.start()
    go.set()
    for thread in threads:
        thread.join()
    send({"type": "progress", "units": done})
    send({"type": "counter", "value": counter_value})


results = []


def child_append(slot, count, queue, parent_pid):
    """A child process appends to `results`: its own copy of the parent's list (fork copied it)."""
    threading.Thread(target=watch_parent, args=(parent_pid,), daemon=True).start()
    name = f"{PREFIX}-{slot + 1}"
    name_thread(name)
    report_in(slot + 1, name)
    for index in range(count):
        value = (slot * count + index) ** 2
        if queue is None:
            results.append(value)
        else:
            queue.put(value)
    # Progress is a report about the work, written straight to paratop; the results themselves stay put.
    send({"type": "progress", "units": [len(results) if queue is None else count], "first": slot + 1})


def run_results(use_queue):
    context = multiprocessing.get_context("fork")
    count = int(SPEC.get("count", 1000))
    queue = context.Queue() if use_queue else None
    children = [context.Process(target=child_append, args=(slot, count, queue, os.getpid()), daemon=True) for slot in range(WORKERS)]
    for child in children:
        child.start()
    start_watching()
    received = []
    while queue is not None and len(received) < WORKERS * count and not STOP.is_set():
        # A timeout, so a stop request is heard even while no result comes.
        try:
            received.append(queue.get(timeout=0.1))
        except Empty:
            if not any(child.is_alive() for child in children) and queue.empty():
                break
    while not STOP.is_set() and any(child.is_alive() for child in children):
        time.sleep(0.05)
    for child in children:
        child.join(0.5)
        if child.is_alive():
            child.kill()
    if STOP.is_set():
        return
    # The parent's list: what it received over the queue, or (without one) what `results` holds here.
    send({"type": "counter", "value": len(received) if use_queue else len(results)})


# -- fork and memory ------------------------------------------------------------------------------

def load_data(megabytes, part=1.0):
    """A data set of Python objects (a list of ints): each object carries a reference count."""
    count = int(megabytes * 1024 * 1024 / 32 * part)
    return list(range(10**9, 10**9 + count))


def memory_child(slot, data_holder, megabytes, parts, touch, stop_event, parent_pid):
    threading.Thread(target=watch_parent, args=(parent_pid,), daemon=True).start()
    name = f"{PREFIX}-{slot + 1}"
    name_thread(name)
    # Process 1 is the parent; the workers are 2, 3, ...
    mine = data_holder if data_holder is not None else load_data(megabytes, 1.0 / parts)
    if touch:
        # Merely reading the objects writes their reference counts: copy-on-write copies the pages.
        total = 0
        for value in mine:
            total += value & 1
    report_in(slot + 2, name)
    stop_event.wait(MAX_SECONDS)


DATA = None


def run_fork_memory(load_first):
    global DATA
    megabytes = float(SPEC.get("megabytes", 64))
    context = multiprocessing.get_context("fork")
    stop_event = StopFlag(context)
    if load_first:
        DATA = load_data(megabytes)
    report_in(1, f"{PREFIX}-parent")
    children = [
        context.Process(
            target=memory_child,
            args=(slot, DATA if load_first else None, megabytes, WORKERS, bool(SPEC.get("touch", True)), stop_event, os.getpid()),
            daemon=True,
        )
        for slot in range(WORKERS)
    ]
    for child in children:
        child.start()
    start_watching()
    STOP.wait(MAX_SECONDS)
    stop_event.set()
    for child in children:
        child.join(1)
        if child.is_alive():
            child.kill()


def main():
    name_thread(f"{PREFIX}-main")
    send({"type": "hello", "version": sys.version.split()[0], "freeThreaded": free_threaded()})
    # Each mode starts watching stdin itself, after any fork.
    if MODE == "gil":
        run_threads(spin_pure_python)
    elif MODE == "released":
        run_threads(hash_large_buffers)
    elif MODE == "processes":
        run_processes()
    elif MODE == "io":
        run_io_threads()
    elif MODE == "race":
        run_race()
    elif MODE in ("lost", "queue"):
        run_results(MODE == "queue")
    elif MODE in ("load-then-fork", "fork-then-load"):
        run_fork_memory(MODE == "load-then-fork")
    else:
        start_watching()
        send({"type": "error", "message": f"unknown mode {MODE}"})
    send({"type": "finished"})
    STOP.wait(MAX_SECONDS)


if __name__ == "__main__":
    main()
