#!/usr/bin/env python3
"""Times the cases of `aem bench` with the authors' PyTorch code (Nash & Durkan's AEM repository).

Usage: authors_cases.py AUTHORS_CHECKOUT CASE THREADS REPETITIONS

Imports the models from AUTHORS_CHECKOUT/pytorch (nothing of theirs is copied here) and builds each
case with the sizes `aem bench` uses (src/Aem/Benchmarking/BenchmarkCases.cs and the presets), so the
two programs do the same arithmetic: the same widths, blocks, mixture components, importance samples,
batch sizes and dropout. Prints one JSON line: the case, its unit, median, min and max over the timed
repetitions (after one untimed warm-up, as `aem bench` does) and the process's peak resident memory.
Called by bench/side-by-side.sh.
"""
import json
import os
import resource
import statistics
import sys
import time
import warnings

# Their MixtureSameFamily predates torch's arg_constraints check and warns on every construction.
warnings.filterwarnings("ignore", category=UserWarning)

authors, case, threads, repetitions = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, os.path.join(authors, "pytorch"))

import torch  # noqa: E402
import models  # noqa: E402  (the authors' package)

torch.set_num_threads(threads)
torch.manual_seed(1)

# name: (D, ResMADE width H, energy width E, context K, components M (0: uniform), batch, dropout)
MODELS = {
    "train-demo": (2, 64, 32, 64, 0, 512, None),
    "train-2d": (2, 256, 128, 64, 10, 256, None),
    "train-power": (6, 512, 128, 64, 20, 512, 0.1),
    "train-hepmass": (21, 512, 128, 64, 20, 512, 0.2),
}
MODELS["evaluate-power"] = MODELS["train-power"]
MODELS["sample-2d"] = MODELS["train-2d"]


def build(name):
    d, h, e, k, m, _, dropout = MODELS[name]
    made = models.ResidualMADE(input_dim=d, n_residual_blocks=4, hidden_dim=h,
                               output_dim_multiplier=k + 3 * m, dropout_probability=dropout)
    energy = models.ResidualEnergyNet(input_dim=k + 1, n_residual_blocks=4, hidden_dim=e,
                                      energy_upper_bound=0, dropout_probability=dropout)
    return models.AEM(autoregressive_net=made, energy_net=energy, context_dim=k,
                      n_proposal_mixture_components=m,
                      proposal_component_family="gaussian" if m else "uniform",
                      n_proposal_samples_per_input=20, mixture_component_min_scale=1e-3)


def timed(repetitions, action):
    action()  # warm-up: allocator, thread pool
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def training(name):
    aem = build(name)
    batch = MODELS[name][5]
    data = torch.rand(batch * 4, MODELS[name][0])
    optimizer = torch.optim.Adam(list(aem.autoregressive_net.parameters()) + list(aem.energy_net.parameters()), lr=5e-4)
    position = [0]

    def step():
        aem.train()
        optimizer.zero_grad()
        rows = data[(position[0] % 4) * batch:((position[0] % 4) + 1) * batch]
        position[0] += 1
        log_density, log_proposal, _, _ = aem(rows)
        loss = -(log_density.mean() + log_proposal.mean())
        loss.backward()
        optimizer.step()

    return "s/step", timed(repetitions, step)


def evaluation():
    aem = build("evaluate-power")
    aem.eval()
    aem.set_n_proposal_samples_per_input_validation(20_000)
    points = torch.randn(4, 6)

    def score():
        with torch.no_grad():
            aem.log_prob(points)

    return "points/s", [4 / t for t in timed(max(2, repetitions // 5), score)]


def sampling():
    aem = build("sample-2d")
    aem.eval()

    def draw():
        with torch.no_grad():
            aem.sample(batch_size=1024)

    return "samples/s", [1024 / t for t in timed(max(3, repetitions // 2), draw)]


def matmul():
    a, b = torch.randn(64_512, 128), torch.randn(128, 128)
    flops = 2.0 * 64_512 * 128 * 128
    return "GFLOP/s", [flops / t / 1e9 for t in timed(repetitions * 5, lambda: torch.matmul(a, b))]


if case in ("train-demo", "train-2d", "train-power", "train-hepmass"):
    unit, values = training(case)
elif case == "evaluate-power":
    unit, values = evaluation()
elif case == "sample-2d":
    unit, values = sampling()
elif case == "matmul":
    unit, values = matmul()
else:
    sys.exit(f"authors_cases.py: unknown case '{case}'")

print(json.dumps({
    "case": case, "threads": threads, "unit": unit, "median": statistics.median(values),
    "min": min(values), "max": max(values), "n": len(values),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    "torch": torch.__version__,
}))
