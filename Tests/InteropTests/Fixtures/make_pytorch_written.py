#!/usr/bin/env python3
"""Writes or checks pytorch-written.safetensors for InteropTests (readsAFileWrittenByPyTorch).

The file holds small tensors whose values are exact in their dtypes, written by PyTorch's
`safetensors.torch.save_file`, so the Swift reader is checked against the reference writer:
  0.weight  F32  [3, 4]  k/8 − 1/2 for k = 0…11
  0.bias    F32  [3]     1.5, −2, 0.25
  2.weight  F64  [1, 3]  1, 2, 3
  half      F16  [3]     0.5, −1, 65504 (the largest finite half)
  brain     BF16 [2]     1, −3
  count     I64  [2]     7, −9
with metadata {"source": "torch <version> safetensors.torch.save_file"}.

Run from the repository root:

  python3 Tests/InteropTests/Fixtures/make_pytorch_written.py          # rewrite (needs torch, safetensors)
  python3 Tests/InteropTests/Fixtures/make_pytorch_written.py --check  # verify the committed file (standard library only)

Writing prints the tensor names; --check decodes the committed file with the standard library
alone (header, dtypes, shapes, offsets, little-endian values) and prints "pytorch-written.safetensors
matches" or exits non-zero naming the first difference.
"""
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "pytorch-written.safetensors")

EXPECTED = {
    "0.weight": ("F32", [3, 4], [k / 8 - 0.5 for k in range(12)]),
    "0.bias": ("F32", [3], [1.5, -2.0, 0.25]),
    "2.weight": ("F64", [1, 3], [1.0, 2.0, 3.0]),
    "half": ("F16", [3], [0.5, -1.0, 65504.0]),
    "brain": ("BF16", [2], [1.0, -3.0]),
    "count": ("I64", [2], [7, -9]),
}


def write():
    import torch
    from safetensors.torch import save_file

    dtypes = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16,
              "BF16": torch.bfloat16, "I64": torch.int64}
    tensors = {name: torch.tensor(values, dtype=dtypes[dtype]).reshape(shape)
               for name, (dtype, shape, values) in EXPECTED.items()}
    save_file(tensors, PATH, metadata={"source": f"torch {torch.__version__} safetensors.torch.save_file"})
    print("wrote", sorted(tensors))


def decode(dtype, raw):
    if dtype == "BF16":  # the upper half of a float32
        return [struct.unpack("<f", b"\x00\x00" + raw[i:i + 2])[0] for i in range(0, len(raw), 2)]
    code, size = {"F32": ("f", 4), "F64": ("d", 8), "F16": ("e", 2), "I64": ("q", 8)}[dtype]
    return list(struct.unpack("<" + code * (len(raw) // size), raw))


def check():
    data = open(PATH, "rb").read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    metadata = header.pop("__metadata__", {})
    if not metadata.get("source", "").startswith("torch"):
        sys.exit(f"metadata source {metadata.get('source')!r} does not start with 'torch'")
    if set(header) != set(EXPECTED):
        sys.exit(f"tensors {sorted(header)} differ from {sorted(EXPECTED)}")
    for name, (dtype, shape, values) in EXPECTED.items():
        entry = header[name]
        start, end = entry["data_offsets"]
        found = decode(entry["dtype"], body[start:end])
        if (entry["dtype"], entry["shape"], found) != (dtype, shape, values):
            sys.exit(f"{name}: {entry['dtype']} {entry['shape']} {found} differs from {dtype} {shape} {values}")
    print("pytorch-written.safetensors matches")


if __name__ == "__main__":
    check() if "--check" in sys.argv[1:] else write()
