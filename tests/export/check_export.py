#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""An export format, checked in the runtime its users deploy with.

Usage: check_export.py torchscript|onnx-qdq

Quantizes the bundled ResNet-20 with the CLI (RTN at W4A4, W2A4 and mixed
precision from a bits file, each layer's weight and input at its own width: fast),
exports it with --export FORMAT:PATH and evaluates the file on the whole
Fashion-MNIST test set with the card's preprocessing: a TorchScript file
with torch.jit.load (Debian's python3-torch), an ONNX file in ONNX Runtime
(npm onnxruntime-node, default graph optimizations, via onnx_top1.js).
Its top-1 must equal the engine's quantized top-1 of the same run within
the format's tolerance. Exit 0 when every setting agrees."""
import gzip
import json
import os
import subprocess
import sys
import tempfile

# The bounds: |runtime top-1 - engine top-1| in percentage points.
TOLERANCE_PT = {"torchscript": 0.05, "onnx-qdq": 0.1}
SUFFIX = {"torchscript": "pt", "onnx-qdq": "onnx"}
DATA = os.environ.get("METAAUG_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
HERE = os.path.dirname(os.path.abspath(__file__))


def torchscript_top1(path, card):
    import numpy as np
    import torch

    def idx(name):
        with gzip.open(os.path.join(DATA, name), "rb") as f:
            raw = f.read()
        ndim = raw[3]
        dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
        return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)

    images = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz").copy())
    labels = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    extra = {"metaaug.json": ""}
    module = torch.jit.load(path, _extra_files=extra)
    assert json.loads(extra["metaaug.json"])["card"]["name"] == card["name"]
    x = (images.float().unsqueeze(1) * card["scale"] - card["mean"][0]) / card["std"][0]
    with torch.no_grad():
        pred = torch.cat([module(x[i:i + 500]).argmax(1) for i in range(0, len(x), 500)])
    return 100.0 * (pred == labels).double().mean().item()


def onnx_top1(path, card):
    ort_dir = os.environ["METAAUG_ORT_DIR"]
    if not os.path.isdir(os.path.join(ort_dir, "node_modules", "onnxruntime-node")):
        sys.exit(f"onnxruntime-node is not installed in {ort_dir}: run scripts/setup-node.sh")
    env = dict(os.environ, NODE_PATH=os.path.join(ort_dir, "node_modules"))
    run = subprocess.run(["node", os.path.join(HERE, "onnx_top1.js"), path, DATA, str(card["scale"]),
                          str(card["mean"][0]), str(card["std"][0])], capture_output=True, text=True, env=env)
    if run.returncode != 0:
        sys.exit(run.stderr)
    return json.loads(run.stdout)["top1"]


def main():
    fmt = sys.argv[1]
    cli = os.environ["METAAUG_CLI"]
    with open(os.path.join(os.environ["METAAUG_MODELS_DIR"], "resnet20_fmnist.json")) as f:
        card = json.load(f)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        bits = os.path.join(tmp, "bits.json")
        with open(bits, "w") as f:
            json.dump({"layer1.0.conv1": 2, "layer2.0.conv1": {"w": 3, "a": 2}, "layer2.1.conv2": {"w": 5, "a": 6},
                       "layer3.0.conv2": 8}, f)
        for label, args in [("W4A4", ["--wbits", "4", "--abits", "4"]), ("W2A4", ["--wbits", "2", "--abits", "4"]),
                            ("mixed", ["--wbits", "4", "--abits", "4", "--bits-file", bits])]:
            out = os.path.join(tmp, f"rtn-{label}.{SUFFIX[fmt]}")
            run = subprocess.run([cli, "quantize", "--method", "rtn", *args,
                                  "--calib-size", "256", "--no-store", "--json", "--export", f"{fmt}:{out}"],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                print(run.stderr)
                return 1
            result = json.loads(run.stdout)
            engine = result["q_top1"]
            if label == "mixed":  # the run used the file's bits, layer by layer
                used = {l["name"]: (l["wbits"], l["abits"]) for l in result["layers"]}
                assert used["layer1.0.conv1"][0] == 2 and used["layer2.0.conv1"] == (3, 2), used
                assert used["layer2.1.conv2"] == (5, 6) and used["layer3.0.conv2"][0] == 8, used
            top1 = torchscript_top1(out, card) if fmt == "torchscript" else onnx_top1(out, card)
            diff = abs(top1 - engine)
            ok = diff <= TOLERANCE_PT[fmt]
            failures += not ok
            print(f"{fmt} rtn {label}: engine {engine:.2f} %, runtime {top1:.2f} %, "
                  f"|diff| {diff:.3f} pt (<= {TOLERANCE_PT[fmt]}) {'ok' if ok else 'FAIL'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
