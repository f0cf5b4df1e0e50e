#!/usr/bin/env python3
"""Plain-PyTorch reference for `dkd bench`: the same D-PSGD (or QGM) workload as the engine's benchmark, timed per round.

The workload is what `dkd bench` runs: N agents on a ring with weights 1/3, LeNet-5 (conv5x5(6, pad 2), max-pool,
conv5x5(16), max-pool, FC 400-120-84-10, ReLU) on Fashion-MNIST split over the agents with a Dirichlet(alpha) label
skew, one minibatch step of momentum SGD (lr 0.05, heavy ball 0.9, weight decay 1e-4) per agent and round, then one
gossip step x_i <- sum_j w_ij x_j over flat parameter vectors. Agents step one after the other in one process, with
`--threads` intra-op threads, which is how a researcher would write this loop in PyTorch.

Only the timing is compared (the engine's own tests cover its numbers), so the split does not have to match the
engine's bit for bit; it only has to give every agent data of the same shape.

Run it with Debian's interpreter and OpenBLAS installed (apt-get install python3-torch python3-numpy
libopenblas0-openmp); without OpenBLAS, torch falls back to the reference BLAS and runs about twice as slow, which
would flatter the engine. The last line printed is a JSON object; `dkd bench` reads `per_round_ms_steady_mean` and
`blas` (the mapped BLAS libraries, which it prints, with a warning for netlib's).
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

STEADY_SKIP = 10  # rounds left out of the steady-state mean: first-touch allocations and lazy initialisation


class LeNet5(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def features(self, x):
        """The 84-d ReLU layer (what CCL's feature terms compare; bench/ccl_reference.py uses it)."""
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return F.relu(self.fc2(F.relu(self.fc1(x.flatten(1)))))

    def forward(self, x):
        return self.fc3(self.features(x))


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * k:8 + 4 * k], "big") for k in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_training_set(data_dir, normalization="standard"):
    """standard: (x - 0.2860)/0.3530, Fashion-MNIST's customary statistics, as the engine uses; half: (x - 0.5)/0.5."""
    def find(stem):
        for name in (stem + ".gz", stem):
            if os.path.exists(os.path.join(data_dir, name)):
                return os.path.join(data_dir, name)
        raise SystemExit(f"error: {stem}[.gz] not found in {data_dir}")

    images = read_idx(find("train-images-idx3-ubyte")).astype(np.float32) / 255.0
    labels = read_idx(find("train-labels-idx1-ubyte")).astype(np.int64)
    images = (images - 0.2860) / 0.3530 if normalization == "standard" else (images - 0.5) / 0.5
    return torch.from_numpy(images).unsqueeze(1), torch.from_numpy(labels)


def dirichlet_split(labels, agents, alpha, rng, min_samples=10):
    """Per class, shares of its samples drawn from Dir(alpha) over the agents; redrawn until every agent has enough."""
    labels = labels.numpy()
    classes = labels.max() + 1
    while True:
        parts = [[] for _ in range(agents)]
        for c in range(classes):
            idx = rng.permutation(np.flatnonzero(labels == c))
            cuts = (np.cumsum(rng.dirichlet([alpha] * agents)) * len(idx)).astype(int)[:-1]
            for agent, chunk in enumerate(np.split(idx, cuts)):
                parts[agent].extend(chunk.tolist())
        if min(len(p) for p in parts) >= min_samples:
            return [torch.tensor(p) for p in parts]


def loaded_blas():
    """The BLAS libraries this process actually mapped (Debian picks them at run time through alternatives), as full
    paths: the directory tells the implementation apart (netlib's …/blas/libblas.so.3 vs …/openblas-openmp/libblas.so.3)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
        return ", ".join(sorted(paths)) or "none mapped"
    except OSError:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", type=int, default=16)
    ap.add_argument("--alpha", type=float, default=0.1)
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--algo", choices=["dpsgd", "qgm"], default="dpsgd")
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--seed", type=int, default=0)
    # Accepted for the engine's benchmark call; this script never evaluates (evaluation is excluded from all timings).
    ap.add_argument("--eval-every", type=int, default=0)
    ap.add_argument("--no-initial-eval", action="store_true")
    args = ap.parse_args()
    if args.rounds <= STEADY_SKIP:
        raise SystemExit(f"error: --rounds must exceed {STEADY_SKIP}")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    lr, beta, weight_decay = 0.05, 0.9, 1e-4

    images, labels = load_training_set(args.data_dir)
    shards = dirichlet_split(labels, args.agents, args.alpha, rng)

    template = LeNet5()
    models = [LeNet5() for _ in range(args.agents)]
    for m in models:
        m.load_state_dict(template.state_dict())  # every agent starts from the same weights
    flats = [torch.nn.utils.parameters_to_vector(m.parameters()).detach() for m in models]
    momentum = [torch.zeros_like(f) for f in flats]
    # QGM's quasi-global momentum buffer, fed by the displacement of each round (epfml form).
    quasi = [torch.zeros_like(f) for f in flats]
    n = args.agents

    round_ms = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        before = [f.clone() for f in flats] if args.algo == "qgm" else None
        for i, model in enumerate(models):
            torch.nn.utils.vector_to_parameters(flats[i], model.parameters())
            pick = shards[i][torch.randint(len(shards[i]), (args.batch,))]
            model.zero_grad(set_to_none=True)
            F.cross_entropy(model(images[pick]), labels[pick]).backward()
            with torch.no_grad():
                grad = torch.nn.utils.parameters_to_vector(p.grad for p in model.parameters())
                grad.add_(flats[i], alpha=weight_decay)
                if args.algo == "qgm":
                    direction = grad + beta * quasi[i]
                else:
                    momentum[i].mul_(beta).add_(grad)
                    direction = momentum[i]
                flats[i] = flats[i] - lr * direction
        with torch.no_grad():
            mixed = [(flats[(i - 1) % n] + flats[i] + flats[(i + 1) % n]) / 3.0 for i in range(n)]
            if args.algo == "qgm":
                for i in range(n):
                    quasi[i].mul_(beta).add_((before[i] - mixed[i]) / lr, alpha=1 - beta)
            flats = mixed
        round_ms.append((time.perf_counter() - start) * 1000.0)

    steady = round_ms[STEADY_SKIP:]
    print(json.dumps({
        "workload": f"{args.algo} ring-{n} lenet5 batch {args.batch}, {args.rounds} rounds",
        "threads": args.threads,
        "per_round_ms_mean": float(np.mean(round_ms)),
        "per_round_ms_steady_mean": float(np.mean(steady)),
        "per_round_ms_steady_median": float(np.median(steady)),
        "blas": loaded_blas(),
    }))


if __name__ == "__main__":
    main()
