#!/usr/bin/env python3
"""Run a network exported by `polynet polyize --out DIR` under real CKKS encryption.

The client side of PolyNet's polynomial networks: MNIST test images are encrypted with CKKS
(TenSEAL, Microsoft SEAL underneath), the exported network is evaluated on the ciphertexts —
dense layers as encrypted-vector × plaintext-matrix products, each polynomial by the same
Paterson–Stockmeyer scheme PolyNet counts (OpenFHE's k baby steps and m giant steps, from the
manifest) — and the decrypted logits are compared with the plaintext polynomial network
(scripts/polynomial_network.py).

The CKKS parameters follow from the manifest's total depth D: D + 2 primes ([40, 30 × D, 40]
bits, scale 2³⁰) so exactly D rescalings are available, in the smallest ring with 128-bit
security for that modulus. With --check-depth the script also tries D − 1 levels and reports
that the evaluation runs out of levels, so the depth PolyNet reported is the depth consumed.

    python3 -m venv VENV && VENV/bin/pip install tenseal numpy      (VENV: any folder outside the repository)
    polynet polyize --checkpoint runs/mlp --degree 5 --out runs/mlp-poly5
    VENV/bin/python examples/ckks_tenseal.py runs/mlp-poly5 --images 20 --check-depth

Integer constants are applied by additions (2·x as x + x, −x by negation), which cost no level,
as PolyNet's depth count assumes. A first conv2d layer on one channel (CryptoNets) runs on
TenSEAL's im2col encoding of the image, square layers as ciphertext squares. LayerNorm, avgpool,
per-channel polynomials and conv2d after the first layer (which need slot rotations or other
packings) are not handled here.
"""
import argparse
import json
import pathlib
import sys
import time

import numpy as np
import tenseal as ts

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))
import polynomial_network as plain  # noqa: E402  (the plaintext evaluator and file readers)

# 128-bit security limits of SEAL's default parameters: ring degree → total modulus bits.
SECURE_MODULUS_BITS = {8192: 218, 16384: 438, 32768: 881}


def context_for(depth):
    bits = [40] + [30] * depth + [40]
    ring = next((n for n, limit in sorted(SECURE_MODULUS_BITS.items()) if sum(bits) <= limit), None)
    if ring is None:
        raise SystemExit(f"depth {depth} needs {sum(bits)} modulus bits, more than 128-bit security allows in SEAL's rings")
    context = ts.context(ts.SCHEME_TYPE.CKKS, poly_modulus_degree=ring, coeff_mod_bit_sizes=bits)
    context.global_scale = 2**30
    context.generate_galois_keys()
    return context, ring, bits


def twice(v):
    return v + v


def chebyshev_ps(coefficients, interval, k, m, x):
    """Σ c_j T_j(t(x)) by OpenFHE's Paterson–Stockmeyer split, as PolyNet's evaluator does."""
    a, b = interval
    # On [-1, 1] the map is the identity: no product with a plaintext (it would cost a level).
    t = x if (a, b) == (-1.0, 1.0) else x * (2.0 / (b - a)) + (-(a + b) / (b - a))
    baby = [t, t]
    for j in range(2, k + 1):
        p = 1 << ((j - 1).bit_length() - 1)  # the largest power of two below j
        q = j - p
        product = twice(baby[p] * baby[q])
        baby.append(product - 1.0 if p == q else product - baby[p - q])
    giant = []
    if m > 0:
        giant.append(baby[k])
        for _ in range(1, m):
            giant.append(twice(giant[-1] * giant[-1]) - 1.0)

    def linear(c):
        total = None
        for j in range(1, len(c)):
            if c[j] != 0:
                term = baby[j] * float(c[j])
                total = term if total is None else total + term
        # A constant alone stays a plaintext number (a ciphertext times or plus it is fine).
        return float(c[0]) if total is None else total + float(c[0])

    def evaluate(c, g, odd_multiple):
        """Degree < k(2^g − 1) (odd_multiple) within depth ⌈log₂ k⌉ + g, else < k·2^g within one more."""
        degree = max((i for i, v in enumerate(c) if v != 0), default=0)
        if degree < k or g == 0:
            return linear(c[: degree + 1])
        size = (1 << (g - 1)) * k
        if degree < size:
            return evaluate(c, g - 1, False)
        q = [0.0] * (degree - size + 1)
        r = list(c[:size])
        for i in range(size, degree + 1):  # T_{M+j} = 2 T_M T_j - T_{M-j}
            if c[i] == 0:
                continue
            if i == size:
                q[0] += c[i]
            else:
                q[i - size] += 2 * c[i]
                r[2 * size - i] -= c[i]
        return evaluate(q, g - 1, odd_multiple) * giant[g - 1] + evaluate(r, g - 1, False)

    return evaluate(list(coefficients), m, True)


def encrypted_convolution(layer, tensors, context, image):
    """The first layer, conv2d on one channel: the (plaintext-padded) image encrypted in
    TenSEAL's im2col encoding, one encrypted-vector × plaintext-kernel product per output
    channel (one level). The channels stay separate ciphertexts (blocks of the NCHW row):
    packing them into one would cost a masking product, a level the network does not need."""
    weight, bias = (tensors[name] for name in layer["tensors"])  # weight [out, 1, k, k]
    channels, height, width = layer["image"]
    if channels != 1:
        raise SystemExit(f"layer {layer['index']}: conv2d on {channels} channels is not handled by this client (one channel only)")
    k, stride, pad = layer["kernel_size"], layer["stride"], layer["padding"]
    padded = np.pad(image.reshape(height, width), pad)
    encoded, windows = ts.im2col_encoding(context, padded.tolist(), k, k, stride)
    return [encoded.conv2d_im2col(weight[o, 0].tolist(), windows) + [float(bias[o])] * windows for o in range(weight.shape[0])]


def encrypted_forward(manifest, tensors, context, image):
    """The network on one image. The state is a list of ciphertexts, consecutive blocks of the
    layer's row (one block, or one per channel after the first conv2d): elementwise layers act
    on each block, a dense layer sums each block's product with its columns of W."""
    layers = manifest["layers"]
    if layers and layers[0]["kind"] == "conv2d":
        blocks, layers = encrypted_convolution(layers[0], tensors, context, image), layers[1:]
    else:
        blocks = [ts.ckks_vector(context, image.tolist())]
    for layer in layers:
        if layer["kind"] == "dense":
            weight, bias = (tensors[name] for name in layer["tensors"])
            start, total = 0, None
            for block in blocks:
                product = block.mm(weight[:, start : start + block.size()].T.tolist())
                total = product if total is None else total + product
                start += block.size()
            blocks = [total + bias.tolist()]
        elif layer["kind"] == "chebyshev":
            blocks = [chebyshev_ps(layer["chebyshev"], layer["interval"], layer["baby_steps"], layer["giant_steps"], x) for x in blocks]
        elif layer["kind"] == "square":
            blocks = [x.square() for x in blocks]
        elif layer["kind"] == "flatten":
            pass
        elif layer["kind"] == "composite-relu":
            def composite(x):
                q = x
                for stage in layer["stages"]:
                    q = chebyshev_ps(stage["chebyshev"], stage["interval"], stage["baby_steps"], stage["giant_steps"], q)
                return x * q
            blocks = [composite(x) for x in blocks]
        else:
            raise SystemExit(f"layer {layer['index']}: '{layer['kind']}' layers are not handled by this client")
    return np.concatenate([np.array(x.decrypt()) for x in blocks])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("export", help="the directory polynet polyize --out wrote")
    parser.add_argument("--images", type=int, default=20, help="how many MNIST test images to encrypt")
    parser.add_argument("--mnist", default=str(pathlib.Path(__file__).resolve().parent.parent / "Data" / "mnist"))
    parser.add_argument("--check-depth", action="store_true", help="also show that depth − 1 levels do not suffice")
    arguments = parser.parse_args()
    if not 1 <= arguments.images <= 10_000:
        raise SystemExit("--images must be in 1...10000")
    export = pathlib.Path(arguments.export)
    manifest = json.loads((export / "manifest.json").read_text())
    tensors = plain.read_safetensors(export / "weights.safetensors")
    images, labels = plain.mnist_test(arguments.mnist)
    images, labels = images[: arguments.images], labels[: arguments.images]
    depth = manifest["total_depth"]

    started = time.perf_counter()
    context, ring, bits = context_for(depth)
    setup = time.perf_counter() - started
    print(f"CKKS: ring dimension {ring}, modulus chain {bits} ({sum(bits)} bits, {depth} levels), scale 2^30; "
          f"keys in {setup:.1f} s")
    reference = plain.evaluate(manifest, tensors, images)
    started = time.perf_counter()
    decrypted = np.array([encrypted_forward(manifest, tensors, context, image) for image in images])
    seconds = (time.perf_counter() - started) / len(images)
    agree = np.mean(decrypted.argmax(axis=1) == reference.argmax(axis=1))
    print(f"{len(images)} images: encrypted predictions agree with the plaintext polynomial network on "
          f"{100 * agree:.1f}%, largest logit difference {np.abs(decrypted - reference).max():.3g}, "
          f"accuracy {100 * np.mean(decrypted.argmax(axis=1) == labels):.1f}%, {seconds:.2f} s per image")
    if arguments.check_depth:
        short, _, short_bits = context_for(depth - 1)
        try:
            encrypted_forward(manifest, tensors, short, images[0])
            print(f"with {depth - 1} levels the evaluation still ran: PolyNet's depth is not tight")
        except ValueError as error:
            print(f"with {depth - 1} levels ({short_bits}) the evaluation runs out of levels ({error}): it consumes all {depth}")


if __name__ == "__main__":
    sys.exit(main())
