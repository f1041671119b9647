#!/usr/bin/python3
"""Writes the TorchScript fixtures the graph-engine tests compare against.

torchvision architectures with weights=None (nothing is downloaded), in eval
mode, traced with torch.jit.trace on 1x3x224x224, and two of them also
scripted with torch.jit.script. Existing files are kept (a cache), so the
test set-up costs seconds after the first run.

    /usr/bin/python3 scripts/make_fixtures.py OUT_DIR [MODELS_DIR]

With MODELS_DIR (the bundled models), also their ONNX exports (export_onnx).
"""
import os, sys
import json
import torch
import torchvision.models as tvm

TRACED = ["resnet18", "resnet50", "mobilenet_v2", "mnasnet1_0", "regnet_x_400mf",
          "shufflenet_v2_x1_0", "efficientnet_b0", "mobilenet_v3_small"]
# Eager torchvision models as PyTorch users hand them over: torch.onnx.export
# with its default options (constant folding, weights as initializers, BN
# folded into the convolutions), at these opsets, each with an ImageNet card.
TORCHVISION_ONNX = ["resnet18", "mobilenet_v3_small"]
ONNX_OPSETS = [13, 17]
IMAGENET_CARD = {"input_shape": [3, 224, 224], "channels": 3, "resize": 256, "crop": 224, "scale": 1 / 255,
                 "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}
SCRIPTED = ["resnet18", "mobilenet_v2"]


def build(name):
    torch.manual_seed(0)
    m = getattr(tvm, name)(weights=None).eval()
    # Give BatchNorm non-trivial statistics so folding it is really tested.
    g = torch.Generator().manual_seed(1)
    for mod in m.modules():
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.running_mean.copy_(torch.randn(mod.running_mean.shape, generator=g) * 0.1)
            mod.running_var.copy_(torch.rand(mod.running_var.shape, generator=g) + 0.5)
            mod.weight.data.copy_(torch.rand(mod.weight.shape, generator=g) + 0.5)
            mod.bias.data.copy_(torch.randn(mod.bias.shape, generator=g) * 0.1)
    return m


class GeluNet(torch.nn.Module):
    """A small CNN with an op the engine does not support (GELU)."""
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 4, 3)
        self.act = torch.nn.GELU()
        self.fc = torch.nn.Linear(4, 10)

    def forward(self, x):
        return self.fc(self.act(self.conv(x)).mean((2, 3)))


class LstmNet(torch.nn.Module):
    """Not a CNN: an LSTM over image rows."""
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(28, 16, batch_first=True)
        self.fc = torch.nn.Linear(16, 10)

    def forward(self, x):
        out, _ = self.lstm(x[:, 0])
        return self.fc(out[:, -1])


SMALL = {"gelu_cnn": GeluNet, "lstm": LstmNet}


class TinyCnn(torch.nn.Module):
    """Two convs and a classifier: the base of the bad-input models."""
    def __init__(self, channels=1, logits=True):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(channels, 8, 3, padding=1)
        self.relu = torch.nn.ReLU()
        self.conv2 = torch.nn.Conv2d(8, 8, 3, stride=2, padding=1)
        self.fc = torch.nn.Linear(8, 10)
        self.logits = logits

    def forward(self, x):
        x = self.relu(self.conv2(self.relu(self.conv1(x))))
        return self.fc(x.mean((2, 3))) if self.logits else x


def nan_weight():
    m = TinyCnn()
    with torch.no_grad():
        m.conv2.weight[3, 1, 0, 0] = float("nan")
    return m


# Models for the bad-input catalogue (tests/app/tst_badinput.cpp), each with
# a card: name -> (factory, input channels).
BAD = {"feature_map": (lambda: TinyCnn(logits=False), 1), "nan_weight": (nan_weight, 1),
       "rgb_cnn": (lambda: TinyCnn(3), 3)}


def write_bad_inputs(out):
    import json
    for name, (factory, channels) in BAD.items():
        path = os.path.join(out, f"{name}.pt")
        if os.path.exists(path):
            continue
        torch.manual_seed(0)
        torch.jit.trace(factory().eval(), torch.randn(1, channels, 28, 28), check_trace=False).save(path + ".tmp")
        card = {"name": name, "input_shape": [channels, 28, 28], "mean": [0.5] * channels, "std": [0.25] * channels}
        with open(os.path.join(out, f"{name}.json"), "w") as f:
            json.dump(card, f)
        os.replace(path + ".tmp", path)
        print(f"wrote {path}")


def export_onnx(out, models_dir):
    """The bundled models (and the GELU net, an unsupported op) exported to
    ONNX by torch.onnx.export with a dynamic batch, each with a copy of its
    card: the ONNX importer's fixtures."""
    import shutil
    jobs = [(os.path.join(models_dir, f"{n}.pt"), n) for n in ("resnet20_fmnist", "mobilenetv2s_fmnist")]
    jobs.append((os.path.join(out, "gelu_cnn_traced.pt"), "gelu_cnn"))
    for src, name in jobs:
        path = os.path.join(out, f"{name}.onnx")
        if os.path.exists(path) or not os.path.exists(src):
            continue
        m = torch.jit.load(src).eval()
        tmp = path + ".tmp"
        torch.onnx.export(m, (torch.zeros(1, 1, 28, 28),), tmp, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, opset_version=13)
        os.replace(tmp, path)
        card = os.path.join(models_dir, f"{name}.json")
        shutil.copy(card if os.path.exists(card) else os.path.join(models_dir, "resnet20_fmnist.json"),
                    os.path.join(out, f"{name}.json"))
        print(f"wrote {path}")


def export_torchvision_onnx(out):
    for name in TORCHVISION_ONNX:
        for opset in ONNX_OPSETS:
            path = os.path.join(out, f"{name}_op{opset}.onnx")
            if os.path.exists(path):
                continue
            tmp = path + ".tmp"
            torch.onnx.export(build(name), (torch.randn(1, 3, 224, 224),), tmp, opset_version=opset,
                              input_names=["input"], output_names=["logits"])
            with open(os.path.join(out, f"{name}_op{opset}.json"), "w") as f:
                json.dump(dict(IMAGENET_CARD, name=f"{name}_op{opset}"), f)
            os.replace(tmp, path)
            print(f"wrote {path}")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "fixtures"
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    for name, cls in SMALL.items():
        path = os.path.join(out, f"{name}_traced.pt")
        if not os.path.exists(path):
            torch.manual_seed(0)
            torch.jit.trace(cls().eval(), torch.randn(1, 1, 28, 28)).save(path + ".tmp")
            os.replace(path + ".tmp", path)
            print(f"wrote {path}")
    write_bad_inputs(out)
    jobs = [(n, "traced") for n in TRACED] + [(n, "scripted") for n in SCRIPTED]
    for name, how in jobs:
        path = os.path.join(out, f"{name}_{how}.pt")
        if os.path.exists(path):
            continue
        m = build(name)
        with torch.no_grad():
            sm = torch.jit.trace(m, torch.randn(1, 3, 224, 224)) if how == "traced" else torch.jit.script(m)
        tmp = path + ".tmp"
        sm.save(tmp)
        os.replace(tmp, path)
        print(f"wrote {path}")
    export_torchvision_onnx(out)
    if len(sys.argv) > 2:
        export_onnx(out, sys.argv[2])


if __name__ == "__main__":
    main()
