#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reproduces the bundled default models (resources/models) from scratch.

Trains a CIFAR-style ResNet-20 and a MobileNetV2-style network on the
Fashion-MNIST training set (Debian's dataset-fashion-mnist), saves each as a
traced TorchScript file (loads unchanged with torch.jit.load in Python and C++)
with a model card JSON beside it.

Run with Debian's python3-torch (/usr/bin/python3): the .pt files must come
from PyTorch <= 1.13 to load in Debian's LibTorch.

    GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296 \
        /usr/bin/python3 scripts/train_models.py --model resnet20 --epochs 12
"""
import argparse, gzip, json, os, struct, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_split(split):
    prefix = "train" if split == "train" else "t10k"
    x = read_idx(f"{DATA}/{prefix}-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    y = read_idx(f"{DATA}/{prefix}-labels-idx1-ubyte.gz").astype(np.int64)
    x = (torch.from_numpy(x).unsqueeze(1) - MEAN) / STD
    return x, torch.from_numpy(y)


# ---------------------------------------------------------------- ResNet-20
class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                            nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return F.relu(out + identity)


class ResNet20(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        layers, cin = [], 16
        for cout, stride in [(16, 1), (32, 2), (64, 2)]:
            blocks = []
            for i in range(3):
                blocks.append(BasicBlock(cin, cout, stride if i == 0 else 1))
                cin = cout
            layers.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = layers
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)


# ------------------------------------------------------- MobileNetV2-style
class ConvBNReLU6(nn.Module):
    def __init__(self, cin, cout, k, stride, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = nn.ReLU6()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        self.use_res = stride == 1 and cin == cout
        layers = []
        if expand != 1:
            layers.append(ConvBNReLU6(cin, hidden, 1, 1))
        layers += [ConvBNReLU6(hidden, hidden, 3, stride, groups=hidden),
                   nn.Conv2d(hidden, cout, 1, 1, 0, bias=False), nn.BatchNorm2d(cout)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.use_res else self.conv(x)


class MobileNetV2S(nn.Module):
    # (expansion t, channels c, repeats n, first stride s), sized for 28x28 inputs
    CFG = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 2, 2), (6, 96, 1, 1)]

    def __init__(self, num_classes=10, last=256):
        super().__init__()
        feats, cin = [ConvBNReLU6(1, 16, 3, 1)], 16
        for t, c, n, s in self.CFG:
            for i in range(n):
                feats.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
                cin = c
        feats.append(ConvBNReLU6(cin, last, 1, 1))
        self.features = nn.Sequential(*feats)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(last, num_classes))

    def forward(self, x):
        x = self.features(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.classifier(x)


MODELS = {"resnet20": ResNet20, "mobilenetv2s": MobileNetV2S}


def augment(x, gen):
    """Random crop with 2-pixel zero padding (in normalised space: the background value) and horizontal flip."""
    n = x.shape[0]
    bg = (0.0 - MEAN) / STD
    padded = F.pad(x, (2, 2, 2, 2), value=bg)
    dx = torch.randint(0, 5, (n,), generator=gen)
    dy = torch.randint(0, 5, (n,), generator=gen)
    idx = torch.arange(28)
    rows = (dy[:, None] + idx[None, :])            # n x 28
    cols = (dx[:, None] + idx[None, :])
    out = padded[:, 0][torch.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]].unsqueeze(1)
    flip = torch.rand(n, generator=gen) < 0.5
    out[flip] = out[flip].flip(-1)
    return out


@torch.no_grad()
def evaluate(model, x, y, bs=1000):
    model.eval()
    correct = 0
    for i in range(0, len(x), bs):
        correct += (model(x[i:i + bs]).argmax(1) == y[i:i + bs]).sum().item()
    return 100.0 * correct / len(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", choices=MODELS, required=True)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--wd", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit-batches", type=int, default=0, help="for timing only")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "resources", "models"))
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(args.seed)
    xtr, ytr = load_split("train")
    xte, yte = load_split("test")
    model = MODELS[args.model]().to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=args.wd, nesterov=True)
    steps_per_epoch = (len(xtr) + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs,
                                                steps_per_epoch=steps_per_epoch, pct_start=0.15)
    t0 = time.time()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        total, nb = 0.0, 0
        for b in range(steps_per_epoch):
            idx = perm[b * args.batch:(b + 1) * args.batch]
            xb = augment(xtr[idx], gen).contiguous(memory_format=torch.channels_last)
            loss = F.cross_entropy(model(xb), ytr[idx], label_smoothing=0.1)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item(); nb += 1
            if args.limit_batches and nb >= args.limit_batches:
                print(f"{nb} batches in {time.time() - t0:.1f}s "
                      f"({(time.time() - t0) / nb * steps_per_epoch:.0f}s/epoch)")
                return
        acc = evaluate(model, xte, yte)
        print(f"epoch {epoch + 1}/{args.epochs} loss {total / nb:.4f} test top-1 {acc:.2f} "
              f"({time.time() - t0:.0f}s)", flush=True)

    model.eval()
    model = model.to(memory_format=torch.contiguous_format)
    traced = torch.jit.trace(model, torch.zeros(1, 1, 28, 28))
    os.makedirs(args.out, exist_ok=True)
    pt = os.path.join(args.out, f"{args.model}_fmnist.pt")
    traced.save(pt)
    reloaded = torch.jit.load(pt)
    top1 = evaluate(reloaded, xte, yte)
    card = {
        "name": f"{args.model}_fmnist",
        "architecture": {"resnet20": "CIFAR-style ResNet-20 (16/32/64, 3x3 basic blocks, 1x1 projection shortcuts)",
                         "mobilenetv2s": "MobileNetV2-style (inverted residuals, depthwise 3x3, ReLU6, expansion 6)"}[args.model],
        "file": os.path.basename(pt),
        "input_shape": [1, 28, 28],
        "channels": 1,
        "resize": 28,
        "crop": 28,
        "scale": 1.0 / 255.0,
        "mean": [MEAN],
        "std": [STD],
        "class_names": CLASSES,
        "dataset": "fashion-mnist",
        "fp_test_top1": round(top1, 2),
        "parameters": sum(p.numel() for p in model.parameters()),
        "training": {
            "script": "scripts/train_models.py",
            "epochs": args.epochs, "batch": args.batch, "optimizer": "SGD nesterov momentum 0.9",
            "lr_schedule": f"OneCycle max {args.lr}, 15% warm-up", "weight_decay": args.wd,
            "label_smoothing": 0.1, "augmentation": "random crop (pad 2) + horizontal flip",
            "seed": args.seed, "threads": args.threads, "torch": torch.__version__,
            "seconds": round(time.time() - t0),
        },
    }
    with open(os.path.join(args.out, f"{args.model}_fmnist.json"), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    print(f"saved {pt}: test top-1 {top1:.2f}")


if __name__ == "__main__":
    main()
