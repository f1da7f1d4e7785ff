#!/usr/bin/env python3
"""PyTorch's CPU kernels beside ours, one thread, in elements per second:
F.gelu and F.silu on bf16 and f32 tensors, and F.silu(g) * u (f32), at
1 Mi and 16 Mi elements. Run it beside `cargo bench --bench half_and_gated`
on the same machine; PyTorch is not a dependency of the crate (install it
with `pip install torch`, or Debian's `python3-torch`).

    python3 scripts/torch_peer.py
"""
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)


def rate(fn, n, seconds=1.5):
    """Median elements per second of `fn` over repeated timed batches."""
    fn()
    reps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 0.3:
        fn()
        reps += 1
    times = []
    for _ in range(7):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        times.append((time.perf_counter() - t) / reps)
    times.sort()
    return n / times[len(times) // 2]


def capability():
    """The vector ISA PyTorch's CPU kernels dispatch to (older releases only
    print it in their build configuration)."""
    cpu = getattr(torch.backends, "cpu", None)
    if cpu is not None and hasattr(cpu, "get_cpu_capability"):
        return cpu.get_cpu_capability()
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage" in line:
            return line.split(":", 1)[1].strip()
    return "unknown"


def main():
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, "
          f"CPU capability {capability()}")
    for n in (1 << 20, 16 << 20):
        g = torch.rand(n) * 16 - 8
        u = torch.rand(n) * 16 - 8
        y = torch.empty(n)
        for dtype in (torch.float32, torch.bfloat16, torch.float16):
            x = g.to(dtype)
            out = torch.empty(n, dtype=dtype)
            for name, f in (("gelu", F.gelu), ("silu", F.silu)):
                try:
                    r = rate(lambda: torch.ops.aten.__getattribute__(name).out(x, out=out)
                             if hasattr(torch.ops.aten, name) else f(x), n)
                except RuntimeError as e:
                    # Older releases lack some CPU kernels for float16.
                    print(f"{name:8} {str(dtype)[6:]:9} N={n:>9}: not available ({e})")
                    continue
                print(f"{name:8} {str(dtype)[6:]:9} N={n:>9}: {r / 1e9:.3f} Gelem/s")
        r = rate(lambda: torch.mul(F.silu(g), u, out=y), n)
        print(f"{'silu*up':8} {'float32':9} N={n:>9}: {r / 1e9:.3f} Gelem/s")
        gb, ub = g.bfloat16(), u.bfloat16()
        yb = torch.empty(n, dtype=torch.bfloat16)
        r = rate(lambda: torch.mul(F.silu(gb), ub, out=yb), n)
        print(f"{'silu*up':8} {'bfloat16':9} N={n:>9}: {r / 1e9:.3f} Gelem/s")


if __name__ == "__main__":
    main()
