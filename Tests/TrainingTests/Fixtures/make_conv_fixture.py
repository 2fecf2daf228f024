#!/usr/bin/env python3
"""Writes conv_model.safetensors and conv_io.safetensors for ConvolutionCheckpointTests.

A small convolutional model in PyTorch,
  Conv2d(2, 3, 3, stride=2, padding=1) -> x^2 -> AvgPool2d(2) -> Flatten -> Linear(12, 4)
on 2x7x7 images (PolyNet: conv2d(2,3,k=3,stride=2,pad=1,size=7) square avgpool(2) flatten dense(12,4)),
is saved with safetensors.torch.save_file under PolyNet's architecture metadata (float32, the
checkpoint format). The second file holds, in float64, a batch of inputs (float32-representable),
a fixed upstream gradient R, and what PyTorch computes in float64 with the same (float32) weights:
the convolution's output, the model's output, and the gradients of L = sum(R * model(x)) with
respect to the input and every parameter.

  VENV/bin/python Tests/TrainingTests/Fixtures/make_conv_fixture.py   (VENV: a virtual environment with torch and safetensors)
"""
import os

import torch
from safetensors.torch import save_file

here = os.path.dirname(os.path.abspath(__file__))


class Square(torch.nn.Module):
    def forward(self, x):
        return x * x


torch.manual_seed(3)
model = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3, stride=2, padding=1), Square(), torch.nn.AvgPool2d(2),
                            torch.nn.Flatten(), torch.nn.Linear(12, 4))
save_file({k: v.contiguous() for k, v in model.state_dict().items()}, os.path.join(here, "conv_model.safetensors"),
          metadata={"polynet.arch": "conv2d(2,3,k=3,stride=2,pad=1,size=7) square avgpool(2) flatten dense(12,4)"})

model = model.double()
inputs = (torch.rand(2, 2 * 7 * 7) * 2 - 1).float().double().requires_grad_()
upstream = torch.randn(2, 4).float().double()
conv_output = model[0](inputs.view(2, 2, 7, 7)).flatten(1)
output = model(inputs.view(2, 2, 7, 7))
(output * upstream).sum().backward()
tensors = {"input": inputs.detach(), "output_gradient": upstream, "conv_output": conv_output.detach(),
           "output": output.detach(), "input_gradient": inputs.grad}
tensors.update({f"{name}.grad": parameter.grad for name, parameter in model.named_parameters()})
save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(here, "conv_io.safetensors"))
print("wrote", sorted(tensors))
