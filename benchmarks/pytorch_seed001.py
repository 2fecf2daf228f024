#!/usr/bin/env python3
"""The seed-001 MLPs in PyTorch, as the baseline `polynet bench train` compares against.

Models (Loretz 2024, "Polynomials as weights and activations for MLPs"), pixels in [0, 1]:
  poly:    PolynomialLayer(784, 20, 3) -> LayerNorm(20) -> PolynomialLayer(20, 10, 3)  (63,560 parameters)
  linear:  Linear(784, 20) -> ReLU -> LayerNorm(20) -> Linear(20, 10)                     (15,950 parameters)
and the other models of `polynet bench train`'s grid:
  hermite: Linear(784, 128) -> HermiteActivation(3) -> Linear(128, 10)  (PolyNet's dense(784,128) hermite(deg=3)
           dense(128,10): sum_k c_k He_k(x)/k!, one coefficient set per layer)
  relu128: Linear(784, 128) -> ReLU -> Linear(128, 128) -> ReLU -> Linear(128, 10)
The polynomial layer follows the seed: powers 0..d of every input, then ONE matmul with the
(out, in*(d+1)) weights; parameter names and shapes match PolyNet checkpoints
(`0.weight` [out, in, d+1]), so state dicts move between the two unchanged.

  python3 pytorch_seed001.py --model poly --batch-size 64 --threads 1 --epochs 1   # one JSON line
  python3 pytorch_seed001.py --model poly --epochs 5 --seeds 0 1 2 3                 # accuracy

Set OMP_WAIT_POLICY=PASSIVE when using more than one thread on a shared 2-core machine.
"""
import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class PolynomialLayer(nn.Module):
    """y_j = sum_i sum_k W[j, i, k] * x_i**k: powers of the input, then one matrix product."""

    def __init__(self, in_features, out_features, degree):
        super().__init__()
        self.degree = degree
        bound = 1 / math.sqrt(in_features * (degree + 1))
        self.weight = nn.Parameter(torch.empty(out_features, in_features, degree + 1).uniform_(-bound, bound))
        self.register_buffer("exponents", torch.arange(degree + 1, dtype=torch.float32), persistent=False)

    def forward(self, x):
        powers = x.unsqueeze(-1).pow(self.exponents)  # (batch, in, d+1); 0**0 = 1
        return powers.flatten(1) @ self.weight.flatten(1).t()


class HermiteActivation(nn.Module):
    """F(x) = sum_k c_k He_k(x)/k! by the recurrence phi_k = (x*phi_{k-1} - phi_{k-2})/k."""

    def __init__(self, degree):
        super().__init__()
        coefficients = torch.zeros(degree + 1)
        coefficients[1] = 1.0
        self.coefficients = nn.Parameter(coefficients)

    def forward(self, x):
        previous, current = torch.ones_like(x), x
        total = self.coefficients[0] * previous + self.coefficients[1] * current
        for k in range(2, self.coefficients.numel()):
            previous, current = current, (x * current - previous) / k
            total = total + self.coefficients[k] * current
        return total


def make_model(name):
    if name == "hermite":
        return nn.Sequential(nn.Linear(784, 128), HermiteActivation(3), nn.Linear(128, 10))
    if name == "relu128":
        return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))
    if name == "poly":
        return nn.Sequential(PolynomialLayer(784, 20, 3), nn.LayerNorm(20), PolynomialLayer(20, 10, 3))
    if name == "linear":
        return nn.Sequential(nn.Linear(784, 20), nn.ReLU(), nn.LayerNorm(20), nn.Linear(20, 10))
    raise ValueError(f"unknown model {name}")


def load_mnist(directory, split):
    prefix = "train" if split == "train" else "t10k"

    def read(suffix):
        path = os.path.join(directory, f"{prefix}-{suffix}")
        opener = gzip.open if os.path.exists(path + ".gz") else open
        with opener(path + ".gz" if os.path.exists(path + ".gz") else path, "rb") as f:
            return f.read()

    images = np.frombuffer(read("images-idx3-ubyte"), dtype=np.uint8, offset=16).reshape(-1, 784)
    labels = np.frombuffer(read("labels-idx1-ubyte"), dtype=np.uint8, offset=8)
    return torch.from_numpy(images.astype(np.float32) / 255), torch.from_numpy(labels.astype(np.int64))


def train(model, images, labels, epochs, batch_size, learning_rate, generator, on_epoch=None):
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    for epoch in range(epochs):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(len(labels), generator=generator)
        for begin in range(0, len(labels), batch_size):
            batch = order[begin:begin + batch_size]
            loss = F.cross_entropy(model(images[batch]), labels[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        seconds = time.perf_counter() - start
        if on_epoch:
            on_epoch(epoch + 1, seconds)


@torch.no_grad()
def accuracy(model, images, labels):
    model.eval()
    return (model(images).argmax(1) == labels).float().mean().item()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=["poly", "linear", "hermite", "relu128"], default="poly")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--limit", type=int, help="train on the first N examples only")
    parser.add_argument("--data-dir", default=os.environ.get("POLYNET_DATA", os.path.join(here, "..", "Data", "mnist")))
    arguments = parser.parse_args()

    torch.set_num_threads(arguments.threads)
    directory = arguments.data_dir
    if not os.path.exists(os.path.join(directory, "t10k-labels-idx1-ubyte.gz")) and os.path.isdir(os.path.join(directory, "mnist")):
        directory = os.path.join(directory, "mnist")
    train_images, train_labels = load_mnist(directory, "train")
    test_images, test_labels = load_mnist(directory, "test")
    if arguments.limit:
        train_images, train_labels = train_images[:arguments.limit], train_labels[:arguments.limit]
    for seed in arguments.seeds:
        torch.manual_seed(seed)
        model = make_model(arguments.model)
        generator = torch.Generator().manual_seed(seed)
        epoch_seconds = []
        train(model, train_images, train_labels, arguments.epochs, arguments.batch_size, arguments.learning_rate,
              generator, lambda epoch, seconds: epoch_seconds.append(seconds))
        print(json.dumps({
            "framework": "pytorch", "torch": torch.__version__, "model": arguments.model, "seed": seed,
            "parameters": sum(p.numel() for p in model.parameters()),
            "batch_size": arguments.batch_size, "threads": arguments.threads, "epochs": arguments.epochs,
            "samples_per_second": len(train_labels) / min(epoch_seconds),
            "test_accuracy": accuracy(model, test_images, test_labels),
        }), flush=True)


if __name__ == "__main__":
    main()
