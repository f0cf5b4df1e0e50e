#!/usr/bin/env python3
"""Plain-PyTorch cross-check of CCL's first rounds: does the divergence at alpha = 0.01 come from the engine?

An independent, single-process re-implementation of one CCL iteration as the CCL authors' code runs it, written for
this project from a reading of that code (nothing is copied). 16 agents on a ring (weights 1/3, gamma = 1), LeNet-5
(features: the 84-d ReLU layer), batch 32, every agent starting from the same PyTorch-default weights. Round t, per
agent i:
  1. send x_i (un-mixed); mix x_i <- sum_j w_ij x_j; with QGM, m_i <- m_i - (x_i,mixed - x_i)/lr_prev;
  2. draw the batch; cross-features z_{j->i} = the batch's features under each neighbour's un-mixed x_j (no grad);
     their class sums and counts go to j;
  3. loss = CE + lambda_m sum_j MSE(z_i, z_{j->i}) + lambda_d MSE(z_i, zbar_y), where zbar_c is the class mean over
     the own batch (own mixed model) plus the sums the neighbours sent (their batches under i's un-mixed x_i);
  4. g += wd x; m <- beta m + g; d = g + beta m (Nesterov) or m; x <- x - lr d.
The split follows the authors' grouped Dirichlet scheme (groups of <= 10 workers, capacity-masked Dir(alpha) draws,
then equal contiguous chunks), with numpy's generator: the engine's split and batches are not reproduced, so compare
behaviour (which settings diverge, how fast the consensus distance grows), not digits.

Run it with Debian's interpreter (apt-get install python3-torch python3-numpy libopenblas0-openmp):
  /usr/bin/python3 bench/ccl_reference.py --lambda-m 0.1 --lambda-d 0 --seed 0
One line per round: round, mean train loss, consensus distance mean_i ||x_i - xbar||^2 (the engine's definition).
"""
import argparse
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from pytorch_reference import LeNet5, load_training_set  # same model and data loading as the benchmark reference


def grouped_dirichlet(labels, agents, alpha, rng, group=10):
    """Capacity-masked Dirichlet per group of <= 10 workers, then n equal contiguous chunks of the concatenation."""
    order = rng.permutation(len(labels))
    sizes = [min(group, agents - g) for g in range(0, agents, group)]
    each = int(group / agents * len(labels))
    concatenated, start = [], 0
    for g, m in enumerate(sizes):
        end = start + each if g < len(sizes) - 1 else len(labels)
        part = order[start:end]
        start = end
        capacity, minimum = len(part) / m, int(0.5 * len(part) / m)
        by_class = [part[labels[part] == c] for c in range(labels.max() + 1)]
        while True:
            workers = [[] for _ in range(m)]
            for idx in by_class:
                p = rng.dirichlet([alpha] * m)
                p = np.array([0.0 if len(w) >= capacity else q for w, q in zip(workers, p)])
                p = p / p.sum() if p.sum() > 0 else np.full(m, 1.0 / m)
                cuts = (np.cumsum(p) * len(idx)).astype(int)[:-1]
                for w, chunk in zip(workers, np.split(idx, cuts)):
                    w.extend(chunk.tolist())
            if min(len(w) for w in workers) >= minimum:
                break
        for w in workers:
            concatenated.extend(w)
    chunk = len(labels) // agents
    return [np.array(concatenated[i * chunk:(i + 1) * chunk]) for i in range(agents)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", type=int, default=16)
    ap.add_argument("--alpha", type=float, default=0.01)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--heavy-ball", action="store_true", help="heavy-ball momentum instead of Nesterov")
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--lambda-m", type=float, default=0.1)
    ap.add_argument("--lambda-d", type=float, default=0.1)
    ap.add_argument("--no-qgm", action="store_true", help="skip the buffer correction (DSGDm-N)")
    ap.add_argument("--normalization", choices=["standard", "half"], default="standard",
                    help="standard: (x - 0.2860)/0.3530 as the engine; half: (x - 0.5)/0.5 as the authors' code")
    ap.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    images, labels = load_training_set(args.data_dir, args.normalization)
    shards = grouped_dirichlet(labels.numpy(), args.agents, args.alpha, rng)
    n, classes, beta = args.agents, 10, args.momentum

    model, scratch = LeNet5(), LeNet5()
    params = list(model.parameters())
    x = [nn.utils.parameters_to_vector(params).detach().clone() for _ in range(n)]  # same start everywhere
    m = [torch.zeros_like(x[0]) for _ in range(n)]
    lr_prev = args.lr
    orders = [rng.permutation(s) for s in shards]
    cursor = [0] * n

    def batch(i):
        if cursor[i] + args.batch > len(orders[i]):
            orders[i], cursor[i] = rng.permutation(shards[i]), 0
        pick = orders[i][cursor[i]:cursor[i] + args.batch]
        cursor[i] += args.batch
        return torch.from_numpy(pick)

    def features_under(flat, inputs):
        with torch.no_grad():
            nn.utils.vector_to_parameters(flat, scratch.parameters())
            return scratch.features(inputs)

    def class_sums(z, y):
        sums = torch.zeros(classes, z.shape[1]).index_add_(0, y, z)
        return sums, torch.bincount(y, minlength=classes).float()

    for t in range(1, args.rounds + 1):
        sent = [v.clone() for v in x]                                              # un-mixed x_j^t
        neighbours = [((i - 1) % n, (i + 1) % n) for i in range(n)]
        for i in range(n):
            mixed = (sent[(i - 1) % n] + sent[i] + sent[(i + 1) % n]) / 3.0
            if not args.no_qgm:
                m[i] -= (mixed - sent[i]) / lr_prev
            x[i] = mixed
        picks = [batch(i) for i in range(n)]
        cross = [[features_under(sent[j], images[picks[i]]) for j in neighbours[i]] for i in range(n)]
        # what j receives: j's batch under i's (un-mixed) parameters, as class sums and counts
        inbox = [[] for _ in range(n)]
        for i in range(n):
            for j, z in zip(neighbours[i], cross[i]):
                inbox[j].append(class_sums(z, labels[picks[i]]))
        losses = []
        for i in range(n):
            inputs, y = images[picks[i]], labels[picks[i]]
            nn.utils.vector_to_parameters(x[i], params)
            model.zero_grad(set_to_none=True)
            z = model.features(inputs)
            loss = F.cross_entropy(model.fc3(z), y)
            if args.lambda_m:
                for target in cross[i]:
                    loss = loss + args.lambda_m * F.mse_loss(z, target)
            if args.lambda_d:
                sums, counts = class_sums(z.detach(), y)
                for s, c in inbox[i]:
                    sums, counts = sums + s, counts + c
                means = sums / counts.clamp_min(1).unsqueeze(1)
                loss = loss + args.lambda_d * F.mse_loss(z, means[y])
            loss.backward()
            losses.append(loss.item())
            with torch.no_grad():
                g = nn.utils.parameters_to_vector(p.grad for p in params) + args.weight_decay * x[i]
                m[i] = beta * m[i] + g
                d = m[i] if args.heavy_ball else g + beta * m[i]
                x[i] = x[i] - args.lr * d
        lr_prev = args.lr
        mean = torch.stack(x).mean(0)
        consensus = float(torch.stack([(v - mean).pow(2).sum() for v in x]).mean())
        print(f"{t} {float(np.mean(losses)):.6g} {consensus:.6g}", flush=True)
        if not math.isfinite(consensus):
            break


if __name__ == "__main__":
    main()
