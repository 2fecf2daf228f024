#!/usr/bin/env python3
"""Writes pytorch_model.safetensors and pytorch_io.safetensors for CheckpointTests.

A small model built with PyTorch (the polynomial layer of benchmarks/pytorch_seed001.py,
nn.LayerNorm, nn.ReLU, nn.Linear) is saved with safetensors.torch.save_file under PolyNet's
architecture metadata; a batch of inputs and PyTorch's outputs go to a second file, so the test
checks that PolyNet loads a Python-written checkpoint and computes what PyTorch computes.

  VENV/bin/python Tests/TrainingTests/Fixtures/make_pytorch_fixture.py   (VENV: a virtual environment with torch and safetensors)
"""
import os
import sys

import torch
from safetensors.torch import save_file

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "..", "benchmarks"))
from pytorch_seed001 import PolynomialLayer  # noqa: E402

torch.manual_seed(1)
model = torch.nn.Sequential(PolynomialLayer(6, 4, 3), torch.nn.LayerNorm(4), torch.nn.ReLU(), torch.nn.Linear(4, 3))
with torch.no_grad():
    model[1].weight.uniform_(0.5, 1.5)
    model[1].bias.uniform_(-0.5, 0.5)
inputs = torch.rand(5, 6) * 2 - 1
with torch.no_grad():
    outputs = model(inputs)
save_file({k: v.contiguous() for k, v in model.state_dict().items()}, os.path.join(here, "pytorch_model.safetensors"),
          metadata={"polynet.arch": "poly(6,4,deg=3) layernorm(4) relu dense(4,3)"})
save_file({"input": inputs, "output": outputs}, os.path.join(here, "pytorch_io.safetensors"))
print("wrote", sorted(model.state_dict().keys()))
