#!/usr/bin/env python3
"""Evaluate a polynomial network exported by `polynet polyize --out DIR`, with + and × only.

Reads DIR/manifest.json and DIR/weights.safetensors and runs every layer with additions and
multiplications alone: dense layers as x·Wᵀ + b, conv2d as sums of weighted windows, avgpool as
window sums times 1/k², square as x·x, each replaced nonlinearity as its Chebyshev
series on [a, b] by Clenshaw's recurrence on t = (2x − a − b)/(b − a) (the manifest's
`chebyshev` coefficients carry the full constant term), and each LayerNorm with 1/√v replaced
by its Chebyshev start and Newton steps y ← y·(3 − v·y²)/2; a composite ReLU is x·s_k(…s_1(x)),
its stages' Chebyshev series applied in turn, then one product with x; per-channel series act on
their channel's columns. No division, comparison, exp or sqrt
touches the data; 2/(b − a) and (a + b)/(b − a) are plaintext constants computed once.

    python3 scripts/polynomial_network.py runs/mlp-poly                  # MNIST test accuracy
    python3 scripts/polynomial_network.py runs/mlp-poly --inputs x.safetensors --outputs y.safetensors

With --inputs, the tensor "inputs" (float32 or float64, examples × features) is evaluated and
the outputs are written as the float64 tensor "outputs". Needs numpy only.
"""
import argparse
import gzip
import json
import pathlib
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64}


def read_safetensors(path):
    data = pathlib.Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = data[8 + length :]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(body[begin:end], dtype=DTYPES[entry["dtype"]])
        tensors[name] = array.reshape(entry["shape"]).astype(np.float64)
    return tensors


def write_safetensors(path, name, array):
    array = np.ascontiguousarray(array, dtype=np.float64)
    header = json.dumps({name: {"dtype": "F64", "shape": list(array.shape), "data_offsets": [0, array.nbytes]}}).encode()
    header += b" " * (-len(header) % 8)
    pathlib.Path(path).write_bytes(struct.pack("<Q", len(header)) + header + array.tobytes())


def chebyshev_series(coefficients, interval, x):
    """Σ c_k T_k(t) by Clenshaw, t the affine map of x onto [-1, 1]: + and × only."""
    a, b = interval
    scale, shift = 2.0 / (b - a), -(a + b) / (b - a)  # plaintext constants
    t = x * scale + shift
    b1 = np.zeros_like(t)
    b2 = np.zeros_like(t)
    for c in reversed(coefficients[1:]):
        b1, b2 = t * b1 * 2.0 - b2 + c, b1
    return t * b1 - b2 + coefficients[0]


def convolution(layer, tensors, x):
    """conv2d on NCHW rows: for each kernel offset, the strided window times that tap's weights."""
    weight, bias = (tensors[name] for name in layer["tensors"])  # weight [out, in, k, k]
    channels, height, width = layer["image"]
    k, stride, pad = layer["kernel_size"], layer["stride"], layer["padding"]
    images = x.reshape(x.shape[0], channels, height, width)
    padded = np.zeros((x.shape[0], channels, height + 2 * pad, width + 2 * pad))
    padded[:, :, pad : pad + height, pad : pad + width] = images
    out_height, out_width = (height + 2 * pad - k) // stride + 1, (width + 2 * pad - k) // stride + 1
    out = np.zeros((x.shape[0], weight.shape[0], out_height, out_width)) + bias[None, :, None, None]
    for dy in range(k):
        for dx in range(k):
            window = padded[:, :, dy : dy + stride * (out_height - 1) + 1 : stride, dx : dx + stride * (out_width - 1) + 1 : stride]
            out += np.einsum("nchw,oc->nohw", window, weight[:, :, dy, dx])
    return out.reshape(x.shape[0], -1)


def average_pool(layer, x):
    """k×k windows, stride k: each output the sum of its window times the constant 1/k²."""
    channels, height, width = layer["image"]
    k = layer["kernel_size"]
    h, w = height // k, width // k
    images = x.reshape(x.shape[0], channels, height, width)[:, :, : h * k, : w * k]
    return images.reshape(x.shape[0], channels, h, k, w, k).sum(axis=(3, 5)).reshape(x.shape[0], -1) * (1.0 / (k * k))


def layer_norm(layer, tensors, x):
    """LayerNorm with 1/sqrt(v) replaced: the manifest's Chebyshev start and Newton steps."""
    gamma, beta = (tensors[name] for name in layer["tensors"])
    n = x.shape[1]
    mean = x.sum(axis=1, keepdims=True) * (1.0 / n)
    centred = x - mean
    variance = (centred * centred).sum(axis=1, keepdims=True) * (1.0 / n) + layer["epsilon"]
    y = chebyshev_series(layer["chebyshev"], layer["interval"], variance)
    for _ in range(layer["newton_steps"]):
        y = (3.0 - variance * y * y) * (y * 0.5)
    return centred * y * gamma + beta


def evaluate(manifest, tensors, x):
    for layer in manifest["layers"]:
        if layer["kind"] == "dense":
            weight, bias = (tensors[name] for name in layer["tensors"])
            x = x @ weight.T + bias
        elif layer["kind"] == "conv2d":
            x = convolution(layer, tensors, x)
        elif layer["kind"] == "avgpool":
            x = average_pool(layer, x)
        elif layer["kind"] == "square":
            x = x * x
        elif layer["kind"] == "flatten":
            pass
        elif layer["kind"] == "chebyshev":
            x = chebyshev_series(layer["chebyshev"], layer["interval"], x)
        elif layer["kind"] == "chebyshev-channels":
            plane = layer["plane"]
            x = x.copy()
            for c, series in enumerate(layer["channels"]):
                columns = slice(c * plane, (c + 1) * plane)
                x[:, columns] = chebyshev_series(series["chebyshev"], series["interval"], x[:, columns])
        elif layer["kind"] == "composite-relu":
            q = x
            for stage in layer["stages"]:
                q = chebyshev_series(stage["chebyshev"], stage["interval"], q)
            x = x * q
        elif layer["kind"] == "layernorm":
            x = layer_norm(layer, tensors, x)
        elif layer["kind"] in ("glu", "bilinear"):
            gate_w, gate_b, up_w, up_b, down_w, down_b = (tensors[name] for name in layer["tensors"])
            gate = x @ gate_w.T + gate_b
            if layer["kind"] == "glu":
                gate = chebyshev_series(layer["chebyshev"], layer["interval"], gate)
            x = (gate * (x @ up_w.T + up_b)) @ down_w.T + down_b
        else:
            raise SystemExit(f"layer {layer['index']}: '{layer['kind']}' layers are not supported by this script")
    return x


def mnist_test(directory):
    directory = pathlib.Path(directory)
    images = gzip.decompress((directory / "t10k-images-idx3-ubyte.gz").read_bytes())
    labels = gzip.decompress((directory / "t10k-labels-idx1-ubyte.gz").read_bytes())
    count, rows, columns = struct.unpack(">III", images[4:16])
    pixels = np.frombuffer(images[16:], dtype=np.uint8).reshape(count, rows * columns) / 255.0
    return pixels, np.frombuffer(labels[8:], dtype=np.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("export", help="the directory polynet polyize --out wrote")
    parser.add_argument("--inputs", help="a safetensors file with the tensor 'inputs'")
    parser.add_argument("--outputs", help="where to write the tensor 'outputs' (with --inputs)")
    parser.add_argument("--mnist", default=str(pathlib.Path(__file__).resolve().parent.parent / "Data" / "mnist"),
                        help="MNIST folder for the default accuracy run")
    arguments = parser.parse_args()
    export = pathlib.Path(arguments.export)
    manifest = json.loads((export / "manifest.json").read_text())
    tensors = read_safetensors(export / "weights.safetensors")
    if arguments.inputs:
        outputs = evaluate(manifest, tensors, read_safetensors(arguments.inputs)["inputs"])
        if arguments.outputs:
            write_safetensors(arguments.outputs, "outputs", outputs)
        print(f"evaluated {outputs.shape[0]} examples")
        return
    images, labels = mnist_test(arguments.mnist)
    predictions = evaluate(manifest, tensors, images).argmax(axis=1)
    print(f"MNIST test accuracy of the polynomial network: {100 * np.mean(predictions == labels):.2f}% "
          f"({len(labels)} images, total depth {manifest['total_depth']})")


if __name__ == "__main__":
    sys.exit(main())
