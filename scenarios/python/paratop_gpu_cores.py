"""The lab's gpu-cores: one large matrix product on the CPU's cores, then on the GPU.

PyTorch (CUDA or ROCm build) or CuPy, whichever this Python has: imported, never installed. The CPU
side uses PyTorch on every core (torch.set_num_threads), or NumPy's BLAS beside CuPy. The GPU side
is timed with the device synchronised before and after, after one warm-up product (the first call
pays for the context and the kernels' loading). paratop starts this file with one JSON argument (the
spec: size, repeats) and reads our stdout: each line starting with EVENT is a JSON event.

Exit 2, with an "unavailable" event, where there is no GPU library or no GPU.
"""
import json
import os
import sys
import time

EVENT = "@paratop-gpu "
SPEC = next((json.loads(arg) for arg in reversed(sys.argv[1:]) if arg.startswith("{")), {})
SIZE = int(SPEC.get("size", 4096))
REPEATS = max(1, int(SPEC.get("repeats", 3)))
# The GPU side goes on for at least this long: a product takes milliseconds there, and nvidia-smi
# samples once a second, so a few products alone would never show on its meter.
GPU_MIN_SECONDS = max(0.0, float(SPEC.get("gpuMinSeconds", 3)))

# FP32 cores per streaming multiprocessor by compute capability, as the CUDA samples'
# helper_cuda.h (_ConvertSMVer2Cores) lists them; an unlisted capability gets its major's last entry.
CORES_PER_SM = {
    (3, 0): 192, (3, 2): 192, (3, 5): 192, (3, 7): 192,
    (5, 0): 128, (5, 2): 128, (5, 3): 128,
    (6, 0): 64, (6, 1): 128, (6, 2): 128,
    (7, 0): 64, (7, 2): 64, (7, 5): 64,
    (8, 0): 64, (8, 6): 128, (8, 7): 128, (8, 9): 128,
    (9, 0): 128,
    (10, 0): 128, (10, 1): 128, (12, 0): 128,
}
# An AMD compute unit has 64 stream processors (ROCm reports CUs as multiprocessors).
AMD_CORES_PER_CU = 64


def emit(event, **fields):
    print(EVENT + json.dumps(dict(event=event, **fields)), flush=True)


def cores_per_sm(major, minor):
    if (major, minor) in CORES_PER_SM:
        return CORES_PER_SM[(major, minor)]
    same_major = [cores for (ma, _), cores in sorted(CORES_PER_SM.items()) if ma == major]
    return same_major[-1] if same_major else None


def cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def timed(step, sync, min_seconds=0.0):
    """Seconds per product over REPEATS products, or as many more as fill min_seconds; and how many."""
    sync()
    started = time.perf_counter()
    count = 0
    while count < REPEATS or time.perf_counter() - started < min_seconds:
        for _ in range(REPEATS):
            step()
        sync()
        count += REPEATS
    return (time.perf_counter() - started) / count, count


def with_torch(torch):
    if not torch.cuda.is_available():
        return "torch %s sees no GPU (torch.cuda.is_available() is False)" % torch.__version__
    hip = getattr(torch.version, "hip", None)
    props = torch.cuda.get_device_properties(0)
    sms = int(props.multi_processor_count)
    per_sm = AMD_CORES_PER_CU if hip else cores_per_sm(props.major, props.minor)
    threads = cpu_count()
    torch.set_num_threads(threads)
    emit(
        "info",
        library="PyTorch %s (%s)" % (torch.__version__, "ROCm " + hip if hip else "CUDA %s" % torch.version.cuda),
        device=props.name,
        multiprocessors=sms,
        multiprocessorName="compute units" if hip else "streaming multiprocessors",
        computeCapability=None if hip else "%d.%d" % (props.major, props.minor),
        coresPerMultiprocessor=per_sm,
        gpuCores=sms * per_sm if per_sm else None,
        cpuCores=threads,
        cpuThreads=torch.get_num_threads(),
        size=SIZE,
        repeats=REPEATS,
    )
    torch.manual_seed(0)
    a = torch.randn(SIZE, SIZE, dtype=torch.float32)
    b = torch.randn(SIZE, SIZE, dtype=torch.float32)
    emit("phase", phase="cpu")
    cpu_seconds, cpu_products = timed(lambda: a @ b, lambda: None)
    emit("result", device="cpu", seconds=cpu_seconds, products=cpu_products)
    ga, gb = a.to("cuda"), b.to("cuda")
    emit("phase", phase="gpu")
    started = time.perf_counter()
    ga @ gb
    torch.cuda.synchronize()
    warmup = time.perf_counter() - started
    gpu_seconds, gpu_products = timed(lambda: ga @ gb, torch.cuda.synchronize, GPU_MIN_SECONDS)
    emit("result", device="gpu", seconds=gpu_seconds, warmupSeconds=warmup, products=gpu_products)
    return None


def with_cupy(cupy):
    import numpy

    if cupy.cuda.runtime.getDeviceCount() < 1:
        return "CuPy %s sees no GPU" % cupy.__version__
    props = cupy.cuda.runtime.getDeviceProperties(0)
    name = props["name"].decode() if isinstance(props["name"], bytes) else str(props["name"])
    sms = int(props["multiProcessorCount"])
    hip = bool(getattr(cupy.cuda.runtime, "is_hip", False))
    per_sm = AMD_CORES_PER_CU if hip else cores_per_sm(props["major"], props["minor"])
    emit(
        "info",
        library="CuPy %s, NumPy %s on the CPU" % (cupy.__version__, numpy.__version__),
        device=name,
        multiprocessors=sms,
        multiprocessorName="compute units" if hip else "streaming multiprocessors",
        computeCapability=None if hip else "%d.%d" % (props["major"], props["minor"]),
        coresPerMultiprocessor=per_sm,
        gpuCores=sms * per_sm if per_sm else None,
        cpuCores=cpu_count(),
        cpuThreads=None,
        size=SIZE,
        repeats=REPEATS,
    )
    rng = numpy.random.default_rng(0)
    a = rng.standard_normal((SIZE, SIZE), dtype=numpy.float32)
    b = rng.standard_normal((SIZE, SIZE), dtype=numpy.float32)
    emit("phase", phase="cpu")
    cpu_seconds, cpu_products = timed(lambda: a @ b, lambda: None)
    emit("result", device="cpu", seconds=cpu_seconds, products=cpu_products)
    ga, gb = cupy.asarray(a), cupy.asarray(b)
    sync = cupy.cuda.Device(0).synchronize
    emit("phase", phase="gpu")
    started = time.perf_counter()
    ga @ gb
    sync()
    warmup = time.perf_counter() - started
    gpu_seconds, gpu_products = timed(lambda: ga @ gb, sync, GPU_MIN_SECONDS)
    emit("result", device="gpu", seconds=gpu_seconds, warmupSeconds=warmup, products=gpu_products)
    return None


def main():
    problems = []
    try:
        import torch
    except ImportError:
        torch = None
        problems.append("no module torch")
    if torch is not None:
        problem = with_torch(torch)
        if problem is None:
            return 0
        problems.append(problem)
    try:
        import cupy
    except ImportError:
        problems.append("no module cupy")
    else:
        try:
            problem = with_cupy(cupy)
        except Exception as error:  # CuPy raises its runtime's error where there is no device
            problem = "CuPy: %s" % error
        if problem is None:
            return 0
        problems.append(problem)
    emit("unavailable", reason="; ".join(problems))
    return 2


if __name__ == "__main__":
    sys.exit(main())
