#!/usr/bin/env python3
"""CryptoNets on MNIST in PyTorch next to PolyNet's `cryptonets` preset: accuracy and samples/s.

The network (Gilad-Bachrach et al., ICML 2016), pixels in [0, 1]:
  Conv2d(1, 5, 5, stride=2, padding=1) -> x^2 -> Flatten -> Linear(845, 100) -> x^2 -> Linear(100, 10)
PolyNet: conv2d(1,5,k=5,stride=2,pad=1,size=28) square flatten dense(845,100) square dense(100,10).
Module indices match PolyNet's layer indices, so state dicts move unchanged (`0.weight` [5, 1, 5, 5],
`3.weight` [100, 845], `5.weight` [10, 100]).

Both frameworks train with --optimizer (adam or adamw, decoupled --weight-decay), learning rate
--learning-rate under --schedule (constant, or cosine: lr·(1 + cos(π·step/steps))/2 per optimizer
step, PolyNet's definition), batch --batch-size, --epochs epochs, cross-entropy, on --threads
threads; samples/s is the fastest epoch's. With --polynet
PATH the script runs `PATH train --arch cryptonets` with the same settings for each seed and
prints one JSON line per framework and seed, then a mean ± std summary. With --checkpoint FILE it
loads a PolyNet checkpoint into the PyTorch model with load_state_dict(strict=True) and prints
its test accuracy (compare with `polynet eval --checkpoint FILE`).

  VENV/bin/python benchmarks/pytorch_cryptonets.py --polynet .build/release/polynet --epochs 15 --seeds 0 1 2
  VENV/bin/python benchmarks/pytorch_cryptonets.py --checkpoint RUN/model.safetensors --epochs 0
(VENV: a virtual environment with torch, numpy and safetensors.)
"""
import argparse
import json
import math
import os
import re
import statistics
import subprocess
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import load_file

from pytorch_seed001 import load_mnist


class Square(nn.Module):
    """x^2, the CryptoNets activation."""

    def forward(self, x):
        return x * x


def make_model():
    return nn.Sequential(nn.Conv2d(1, 5, 5, stride=2, padding=1), Square(), nn.Flatten(),
                         nn.Linear(845, 100), Square(), nn.Linear(100, 10))


def train(model, images, labels, arguments, generator):
    """Trains in place; returns (epoch seconds, mean training loss of the last epoch)."""
    epochs, batch_size = arguments.epochs, arguments.batch_size
    if arguments.optimizer == "adamw":
        optimizer = torch.optim.AdamW(model.parameters(), lr=arguments.learning_rate, weight_decay=arguments.weight_decay)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=arguments.learning_rate, weight_decay=arguments.weight_decay)
    steps = epochs * ((len(labels) + batch_size - 1) // batch_size)
    factor = (lambda step: (1 + math.cos(math.pi * step / steps)) / 2) if arguments.schedule == "cosine" else (lambda step: 1.0)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
    seconds, last_loss = [], float("nan")
    for _ in range(epochs):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(len(labels), generator=generator)
        total = 0.0
        for begin in range(0, len(labels), batch_size):
            batch = order[begin:begin + batch_size]
            loss = F.cross_entropy(model(images[batch]), labels[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
            total += loss.item() * len(batch)
        seconds.append(time.perf_counter() - start)
        last_loss = total / len(labels)
    return seconds, last_loss


@torch.no_grad()
def evaluate(model, images, labels):
    model.eval()
    logits = model(images)
    return (logits.argmax(1) == labels).float().mean().item(), F.cross_entropy(logits, labels).item()


def run_polynet(binary, arguments, seed):
    """One `polynet train --arch cryptonets` run: its last epoch's line parsed into numbers."""
    command = [binary, "train", "--arch", "cryptonets", "--epochs", str(arguments.epochs), "--seed", str(seed),
               "--batch-size", str(arguments.batch_size), "--learning-rate", str(arguments.learning_rate),
               "--threads", str(arguments.threads), "--data-dir", arguments.data_dir, "--optimizer", arguments.optimizer,
               "--weight-decay", str(arguments.weight_decay), "--schedule", arguments.schedule]
    if arguments.limit:
        command += ["--limit", str(arguments.limit)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    epochs = re.findall(r"epoch \d+: train loss ([\d.]+) .*test loss ([\d.]+) acc ([\d.]+)% \| (\d+) samples/s", output)
    train_loss, test_loss, accuracy, _ = epochs[-1]
    return {"framework": "polynet", "seed": seed, "batch_size": arguments.batch_size, "threads": arguments.threads,
            "epochs": arguments.epochs, "samples_per_second": max(float(e[3]) for e in epochs),
            "train_loss": float(train_loss), "test_loss": float(test_loss), "test_accuracy": float(accuracy) / 100}


def summarize(rows):
    for framework in sorted({row["framework"] for row in rows}):
        selected = [row for row in rows if row["framework"] == framework]
        parts = []
        for key, scale, unit in [("test_accuracy", 100, "%"), ("test_loss", 1, ""), ("samples_per_second", 1, " samples/s")]:
            values = [row[key] * scale for row in selected]
            spread = statistics.stdev(values) if len(values) > 1 else 0.0
            parts.append(f"{key} {statistics.mean(values):.4g} ± {spread:.2g}{unit}")
        print(f"{framework} ({len(selected)} seeds): " + ", ".join(parts), flush=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--optimizer", choices=["adam", "adamw"], default="adam")
    parser.add_argument("--weight-decay", type=float, default=0.0)
    parser.add_argument("--schedule", choices=["constant", "cosine"], default="constant")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--limit", type=int, help="train on the first N examples only")
    parser.add_argument("--polynet", help="path of the polynet binary to run with the same settings")
    parser.add_argument("--checkpoint", help="a PolyNet cryptonets checkpoint to load and evaluate")
    parser.add_argument("--data-dir", default=os.environ.get("POLYNET_DATA", os.path.join(here, "..", "Data", "mnist")))
    arguments = parser.parse_args()

    torch.set_num_threads(arguments.threads)
    train_images, train_labels = load_mnist(arguments.data_dir, "train")
    test_images, test_labels = load_mnist(arguments.data_dir, "test")
    if arguments.limit:
        train_images, train_labels = train_images[:arguments.limit], train_labels[:arguments.limit]
    train_images, test_images = train_images.view(-1, 1, 28, 28), test_images.view(-1, 1, 28, 28)

    if arguments.checkpoint:
        model = make_model()
        model.load_state_dict(load_file(arguments.checkpoint), strict=True)
        accuracy, loss = evaluate(model, test_images, test_labels)
        print(json.dumps({"checkpoint": arguments.checkpoint, "strict": True, "test_accuracy": accuracy, "test_loss": loss}))

    rows = []
    for seed in arguments.seeds if arguments.epochs > 0 else []:
        torch.manual_seed(seed)
        model = make_model()
        seconds, train_loss = train(model, train_images, train_labels, arguments, torch.Generator().manual_seed(seed))
        accuracy, test_loss = evaluate(model, test_images, test_labels)
        rows.append({"framework": "pytorch", "torch": torch.__version__, "seed": seed,
                     "batch_size": arguments.batch_size, "threads": arguments.threads, "epochs": arguments.epochs,
                     "samples_per_second": len(train_labels) / min(seconds), "train_loss": train_loss,
                     "test_loss": test_loss, "test_accuracy": accuracy})
        print(json.dumps(rows[-1]), flush=True)
        if arguments.polynet:
            rows.append(run_polynet(arguments.polynet, arguments, seed))
            print(json.dumps(rows[-1]), flush=True)
    if rows:
        summarize(rows)


if __name__ == "__main__":
    main()
