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
(it was written by this script: seeded, float64, CPU).
"""
import os

import torch
from safetensors.torch import save_file

here = os.path.dirname(os.path.abspath(__file__))
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
save_file(tensors, os.path.join(here, "pytorch_blocks.safetensors"))
print("wrote", sorted(tensors))
