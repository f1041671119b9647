#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the fuzzers' seed corpora (tests/fuzz/corpus) from real files:
IDX slices of Fashion-MNIST, images of one Fashion-MNIST item in every
recognised format, tiny TorchScript/ONNX CNNs (plus an LSTM and a GELU model,
which the importers refuse), the bundled model cards and data-source strings.
Run bundles come from the CLI (tests/fuzz/README.md). Kept small on purpose:
libFuzzer's default max_len is the largest seed."""
import gzip, io, json, os, struct, sys
import numpy as np
import torch
from PIL import Image

ROOT = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(ROOT, "corpus")
FMNIST = "/usr/share/datasets/fashion-mnist"
MODELS = os.path.join(ROOT, "..", "..", "resources", "models")


def put(target, name, data):
    os.makedirs(os.path.join(OUT, target), exist_ok=True)
    with open(os.path.join(OUT, target, name), "wb") as f:
        f.write(data)


def idx_slice(path, count):
    raw = gzip.open(path).read()
    ndim = raw[3]
    dims = list(struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim]))
    item = int(np.prod(dims[1:])) if ndim > 1 else 1
    body = raw[4 + 4 * ndim: 4 + 4 * ndim + count * item]
    return raw[:4] + struct.pack(">" + "I" * ndim, count, *dims[1:]) + body


def idx_seeds():
    images = idx_slice(os.path.join(FMNIST, "t10k-images-idx3-ubyte.gz"), 2)
    labels = idx_slice(os.path.join(FMNIST, "t10k-labels-idx1-ubyte.gz"), 8)
    put("idx", "images2.idx", images)
    put("idx", "images2.idx.gz", gzip.compress(images, mtime=0))
    put("idx", "labels8.idx", labels)
    put("idx", "labels8.idx.gz", gzip.compress(labels, mtime=0))
    return np.frombuffer(images[16:16 + 784], dtype=np.uint8).reshape(28, 28)


def image_seeds(item):
    gray = Image.fromarray(item, "L")
    rgb = Image.merge("RGB", (gray, gray.transpose(Image.FLIP_LEFT_RIGHT), gray))
    for name, img, fmt, kw in [("item.png", gray, "PNG", {}), ("item_rgb.png", rgb, "PNG", {}),
                               ("item.jpg", gray, "JPEG", {"quality": 80}), ("item_rgb.jpg", rgb, "JPEG", {}),
                               ("item.bmp", rgb, "BMP", {}), ("item.webp", rgb, "WEBP", {"lossless": True}),
                               ("item_lossy.webp", rgb, "WEBP", {"quality": 50}), ("item.tif", gray, "TIFF", {}),
                               ("item.pgm", gray, "PPM", {})]:
        buf = io.BytesIO()
        img.save(buf, fmt, **kw)
        put("image", name, buf.getvalue())


class TinyCnn(torch.nn.Module):
    def __init__(self, act=torch.nn.ReLU):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = torch.nn.BatchNorm2d(4)
        self.act = act()
        self.conv2 = torch.nn.Conv2d(4, 8, 3, stride=2, padding=1, groups=2)
        self.pool = torch.nn.AdaptiveAvgPool2d(1)
        self.fc = torch.nn.Linear(8, 10)

    def forward(self, x):
        x = self.act(self.bn1(self.conv1(x)))
        x = self.act(self.conv2(x)) + torch.nn.functional.max_pool2d(x.repeat(1, 2, 1, 1), 2)
        return self.fc(torch.flatten(self.pool(x), 1))


class TinyLstm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(4, 4, batch_first=True)

    def forward(self, x):
        return self.lstm(x)[0]


def model_seeds():
    torch.manual_seed(0)
    x = torch.randn(1, 1, 8, 8)
    for name, model in [("tiny_cnn", TinyCnn()), ("tiny_gelu", TinyCnn(torch.nn.GELU))]:
        model.eval()
        traced = torch.jit.trace(model, x)
        buf = io.BytesIO()
        torch.jit.save(traced, buf)
        put("torchscript", name + ".pt", buf.getvalue())
        buf = io.BytesIO()
        torch.onnx.export(model, x, buf, opset_version=13, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}})
        put("onnx", name + ".onnx", buf.getvalue())
    lstm = torch.jit.trace(TinyLstm().eval(), torch.randn(1, 3, 4))
    buf = io.BytesIO()
    torch.jit.save(lstm, buf)
    put("torchscript", "tiny_lstm.pt", buf.getvalue())


def text_seeds():
    for name in ("resnet20_fmnist.json", "mobilenetv2s_fmnist.json"):
        with open(os.path.join(MODELS, name), "rb") as f:
            put("modelcard", name, f.read())
    put("modelcard", "rgb.json", json.dumps({"input_shape": [3, 32, 32], "resize": 36, "mean": [0.5, 0.4, 0.3],
                                             "std": [0.2, 0.2, 0.2], "class_names": ["a", "b"]}).encode())
    for i, s in enumerate(["fashion-mnist:train", "fashion-mnist:test", "/data/calibration images",
                           "relative/folder", "fashion-mnist:", "C:\\images"]):
        put("datasource", "source%d.txt" % i, s.encode())


if __name__ == "__main__":
    item = idx_seeds()
    image_seeds(item)
    model_seeds()
    text_seeds()
    for target in sorted(os.listdir(OUT)):
        files = os.listdir(os.path.join(OUT, target))
        size = sum(os.path.getsize(os.path.join(OUT, target, f)) for f in files)
        print("%-12s %2d files %8d bytes" % (target, len(files), size))
