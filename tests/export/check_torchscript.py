#!/usr/bin/python3
"""TorchScript export, checked in PyTorch (Debian's python3-torch).

Quantizes the bundled ResNet-20 with the CLI (W4A4 and W2A4, RTN; fast),
exports it with --export torchscript:PATH, loads the file with
torch.jit.load, evaluates it on the whole Fashion-MNIST test set with the
card's preprocessing and compares its top-1 with the engine's quantized
top-1 from the same run (tolerance TOLERANCE_PT). Exit 0 when every
setting agrees."""
import gzip
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

TOLERANCE_PT = 0.05  # the bound: |export top-1 - engine top-1| <= 0.05 pt
DATA = os.environ.get("METAAUG_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    cli = os.environ["METAAUG_CLI"]
    images = torch.from_numpy(idx(os.path.join(DATA, "t10k-images-idx3-ubyte.gz")).copy())
    labels = torch.from_numpy(idx(os.path.join(DATA, "t10k-labels-idx1-ubyte.gz")).astype(np.int64))
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for method, wbits, abits in [("rtn", 4, 4), ("rtn", 2, 4)]:
            out = os.path.join(tmp, f"{method}-w{wbits}a{abits}.pt")
            run = subprocess.run([cli, "quantize", "--method", method, "--wbits", str(wbits), "--abits", str(abits),
                                  "--calib-size", "256", "--no-store", "--json", "--export", "torchscript:" + out],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                print(run.stderr)
                return 1
            result = json.loads(run.stdout)
            extra = {"metaaug.json": ""}
            module = torch.jit.load(out, _extra_files=extra)
            card = json.loads(extra["metaaug.json"])["card"]
            x = images.float().unsqueeze(1) * card["scale"]
            x = (x - card["mean"][0]) / card["std"][0]
            with torch.no_grad():
                pred = torch.cat([module(x[i:i + 500]).argmax(1) for i in range(0, len(x), 500)])
            top1 = 100.0 * (pred == labels).double().mean().item()
            diff = abs(top1 - result["q_top1"])
            ok = diff <= TOLERANCE_PT
            failures += not ok
            print(f"{method} W{wbits}A{abits}: engine {result['q_top1']:.2f} %, torch.jit.load {top1:.2f} %, "
                  f"|diff| {diff:.3f} pt (<= {TOLERANCE_PT}) {'ok' if ok else 'FAIL'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
