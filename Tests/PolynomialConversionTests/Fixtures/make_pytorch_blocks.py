#!/usr/bin/env python3
"""Writes pytorch_blocks.safetensors for PyTorchBlockTests.

Two feedforward blocks built with PyTorch, in float64, with their own state-dict names:
  - a LLaMA-style GLU  down_proj(silu(gate_proj(x)) * up_proj(x))  without biases
    (keys glu.gate_proj.weight, glu.up_proj.weight, glu.down_proj.weight);
  - nn.Sequential(nn.Linear, nn.GELU(), nn.Linear) with biases (keys mlp.0.weight … mlp.2.bias).
Beside the weights: a batch of inputs and PyTorch's outputs of both blocks, so the test checks
that `--keys` mappings load PyTorch's names and that PolyNet computes what PyTorch computes.

Run from the repository root with a Python that has torch and safetensors installed
(`python3 -m pip install torch safetensors`):

  python3 Tests/PolynomialConversionTests/Fixtures/make_pytorch_blocks.py

It prints the names of the tensors it wrote. Without PyTorch the committed fixture stays as is
(it was written by this script: seeded, float64, CPU). With numpy and scipy only,

  python3 Tests/PolynomialConversionTests/Fixtures/make_pytorch_blocks.py --check

recomputes both blocks' outputs from the stored weights and inputs (silu(z) = z/(1 + e^{-z}),
gelu(z) = z·(1 + erf(z/√2))/2) and prints the largest difference from PyTorch's stored outputs
relative to the outputs' magnitude |W₂|·(|σ(h)| + |h|) + |b₂|: a few units of 1e-16.
"""
import json
import os
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "pytorch_blocks.safetensors")


def check():
    import numpy as np
    from scipy.special import erf

    data = open(path, "rb").read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    header.pop("__metadata__", None)
    body = data[8 + length:]
    t = {}
    for name, entry in header.items():
        assert entry["dtype"] == "F64", (name, entry["dtype"])
        start, end = entry["data_offsets"]
        t[name] = np.frombuffer(body[start:end], dtype="<f8").reshape(entry["shape"])
    x = t["input"]
    silu = lambda z: z / (1 + np.exp(-z))
    gelu = lambda z: z * (1 + erf(z / np.sqrt(2))) / 2
    gate, up, down = t["glu.gate_proj.weight"], t["glu.up_proj.weight"], t["glu.down_proj.weight"]
    h, l = x @ gate.T, x @ up.T
    glu = (silu(h) * l) @ down.T
    glu_scale = (np.abs(silu(h)) + np.abs(h)) * np.abs(l) @ np.abs(down).T
    h = x @ t["mlp.0.weight"].T + t["mlp.0.bias"]
    mlp = gelu(h) @ t["mlp.2.weight"].T + t["mlp.2.bias"]
    mlp_scale = (np.abs(gelu(h)) + np.abs(h)) @ np.abs(t["mlp.2.weight"]).T + np.abs(t["mlp.2.bias"])
    for name, ours, scale in [("glu.output", glu, glu_scale), ("mlp.output", mlp, mlp_scale)]:
        print(f"{name}: max |numpy − PyTorch| / magnitude = {np.max(np.abs(ours - t[name]) / scale):.2e}")


if "--check" in sys.argv[1:]:
    check()
    sys.exit(0)

import torch
from safetensors.torch import save_file

torch.manual_seed(7)
torch.set_default_dtype(torch.float64)


class GLU(torch.nn.Module):
    def __init__(self, d, n, o):
        super().__init__()
        self.gate_proj = torch.nn.Linear(d, n, bias=False)
        self.up_proj = torch.nn.Linear(d, n, bias=False)
        self.down_proj = torch.nn.Linear(n, o, bias=False)

    def forward(self, x):
        return self.down_proj(torch.nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))


glu = GLU(5, 7, 3)
mlp = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.GELU(), torch.nn.Linear(7, 3))
inputs = torch.randn(9, 5)
with torch.no_grad():
    glu_out, mlp_out = glu(inputs), mlp(inputs)

tensors = {f"glu.{k}": v.contiguous() for k, v in glu.state_dict().items()}
tensors.update({f"mlp.{k}": v.contiguous() for k, v in mlp.state_dict().items()})
tensors.update({"input": inputs, "glu.output": glu_out, "mlp.output": mlp_out})
save_file(tensors, path)
print("wrote", sorted(tensors))
