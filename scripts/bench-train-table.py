#!/usr/bin/env python3
"""Medians of several `polynet bench train` runs, one table per model.

Usage: polynet bench train ... > run1.jsonl (repeat), then
       python3 scripts/bench-train-table.py run1.jsonl run2.jsonl run3.jsonl

Each cell (model, batch size, threads) shows the medians over the runs of: our samples/s,
PyTorch's, their ratio, share_of_gemm (the step's GFLOP/s over its own products' GFLOP/s timed
alone), the two GFLOP/s, share_of_gemm_for_2x (the share a step twice as fast as PyTorch's would
need: above 1, the full products alone are too slow for a 2x ratio; dense layers that skip zero
input columns do less than the full products, so shares above 1 appear there), and how the step
used the threads.
Lines that are not benchmark records (progress, notes) are skipped.
"""
import collections
import json
import statistics
import sys


def main(paths):
    if not paths:
        sys.exit(__doc__.strip())
    cells, order = collections.defaultdict(list), []
    for path in paths:
        with open(path) as lines:
            for line in lines:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if not isinstance(record, dict) or record.get("benchmark") != "train":
                    continue
                key = (record["architecture"], int(record["batch_size"]), int(record["threads"]))
                if key not in order:
                    order.append(key)
                cells[key].append(record)
    print(f"{len(paths)} runs")
    architecture = None
    for key in order:
        if key[0] != architecture:
            architecture = key[0]
            print(f"\n## {architecture}\nbatch thr  polynet  pytorch  ratio  share  step_gflops gemm_gflops  for_2x  parallelism")
        records = cells[key]

        def median(field, scale=1.0):
            values = [r[field] for r in records if field in r]
            return statistics.median(values) / scale if values else float("nan")

        print(f"{key[1]:5d} {key[2]:3d} {median('polynet_samples_per_second', 1e3):8.1f}k "
              f"{median('pytorch_samples_per_second', 1e3):7.1f}k {median('polynet_over_pytorch'):5.2f}  "
              f"{median('share_of_gemm'):.2f}  {median('step_gflops'):9.1f} {median('gemm_gflops'):11.1f}  "
              f"{median('share_of_gemm_for_2x'):6.2f}  {records[0]['parallelism']}")


if __name__ == "__main__":
    main(sys.argv[1:])
