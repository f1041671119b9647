#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
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
import shutil
import torch
import torchvision.models as tvm

TRACED = ["resnet18", "resnet50", "mobilenet_v2", "mnasnet1_0", "regnet_x_400mf",
          "shufflenet_v2_x1_0", "efficientnet_b0", "mobilenet_v3_small"]
# Eager models as PyTorch users hand them over: torch.onnx.export with its
# default options (constant folding, weights as initializers, BN folded into
# the convolutions), each NAME_opK.onnx with its card and NAME_traced.pt (the
# same weights traced). CI's set: two torchvision models at 224 at opset 17,
# and the small TinyModern at every opset torch writes (bench/onnx_zoo.py has
# every family at every opset). Opset 18 is written by respell_opset18.
TORCHVISION_ONNX = {"resnet18": [17], "mobilenet_v3_small": [17], "tiny_modern": [13, 14, 17]}
IMAGENET_CARD = {"input_shape": [3, 224, 224], "channels": 3, "resize": 256, "crop": 224, "scale": 1 / 255,
                 "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}
SCRIPTED = ["resnet18", "mobilenet_v2"]


class TinyModern(torch.nn.Module):
    """The ops of modern torchvision CNNs in a few layers at 3x32x32: batch
    norm, a channel split (Split at opset 13+) and shuffle (shape arithmetic), a depthwise conv,
    squeeze-excitation, zero padding before average pooling, LayerNorm over
    channels between permutes, GELU, channels-last Linears, a softmax head."""
    def __init__(self):
        super().__init__()
        nn = torch.nn
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.BatchNorm2d(16), nn.ReLU())
        self.dw = nn.Conv2d(8, 8, 3, 1, 1, groups=8)
        self.se_fc1 = nn.Conv2d(16, 4, 1)
        self.se_fc2 = nn.Conv2d(4, 16, 1)
        self.pool = nn.AvgPool2d(2, 2, padding=1)
        self.norm = nn.LayerNorm(16, eps=1e-6)
        self.mlp1 = nn.Linear(16, 32)
        self.act = nn.GELU()
        self.mlp2 = nn.Linear(32, 16)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.stem(x)
        a, b = x.split(8, dim=1)
        x = torch.cat([a, torch.relu(self.dw(b))], 1)
        n, c, h, w = x.shape
        x = x.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)
        x = x * torch.sigmoid(self.se_fc2(torch.relu(self.se_fc1(x.mean((2, 3), keepdim=True)))))
        x = self.pool(x)
        y = self.mlp2(self.act(self.mlp1(self.norm(x.permute(0, 2, 3, 1)))))
        x = x + y.permute(0, 3, 1, 2)
        return torch.softmax(self.fc(x.mean((2, 3))), 1)


def input_shape(name):
    return [3, 32, 32] if name == "tiny_modern" else [3, 224, 224]


def build(name):
    torch.manual_seed(0)
    m = TinyModern().eval() if name == "tiny_modern" else getattr(tvm, name)(weights=None).eval()
    # Give BatchNorm non-trivial statistics so folding it is really tested.
    g = torch.Generator().manual_seed(1)
    for mod in m.modules():
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.running_mean.copy_(torch.randn(mod.running_mean.shape, generator=g) * 0.1)
            mod.running_var.copy_(torch.rand(mod.running_var.shape, generator=g) + 0.5)
            mod.weight.data.copy_(torch.rand(mod.weight.shape, generator=g) + 0.5)
            mod.bias.data.copy_(torch.randn(mod.bias.shape, generator=g) * 0.1)
    return m


class EluNet(torch.nn.Module):
    """A small CNN with an op the engine does not support (ELU)."""
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 4, 3)
        self.act = torch.nn.ELU()
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


SMALL = {"elu_cnn": EluNet, "lstm": LstmNet}


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


def rewrite_with_matching_crcs(src, dst, max_bytes=16 << 20):
    """Every record of a TorchScript archive copied as it is (damaged bytes
    included) into a new archive, whose zip directory then carries the CRCs
    of those bytes: a file crafted to pass the CRC check. A finding in the
    zip directory itself (a record claiming gigabytes) has nothing to craft."""
    reader = torch._C.PyTorchFileReader(src)
    records = {name: reader.get_record(name) for name in reader.get_all_records() if name != "version"}
    if sum(len(d) for d in records.values()) > max_bytes:
        raise RuntimeError(f"its records hold over {max_bytes} bytes")
    writer = torch._C.PyTorchFileWriter(dst)
    writer.set_min_version(int(reader.get_record("version").decode().strip()))
    for name, data in records.items():
        writer.write_record(name, data, len(data))
    writer.write_end_of_file()


def write_zip_bomb(dst, gib=1.9):
    """A TinyCnn archive of ~2 MB whose first tensor record inflates to `gib`
    GiB of zeros: deflate's 1032:1 is within the CRC guard's size check, so
    only the loader's memory limit stops it."""
    import io, zipfile
    buf = io.BytesIO()
    torch.jit.save(torch.jit.trace(TinyCnn().eval(), torch.randn(1, 1, 28, 28), check_trace=False), buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    chunk = bytes(1 << 24)
    with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename.endswith("/data/0"):
                with out.open(info.filename, "w") as f:
                    for _ in range(int(gib * 64)):
                        f.write(chunk)
            else:
                out.writestr(info.filename, src.read(info.filename))


def write_hostile_files(out):
    """Files the sandboxed loader must contain (tests/core/sandbox): the
    compiler-segfault fuzz finding rewritten with matching CRCs, and a zip
    bomb. Each with a card, so that they reach the parser."""
    regressions = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fuzz", "regressions", "torchscript")
    jobs = {"crafted_crc_segfault": lambda p: rewrite_with_matching_crcs(
                os.path.join(regressions, "damaged_deflated_code_segfaults_in_libtorch_compiler.pt"), p),
            "zip_bomb": write_zip_bomb}
    # Every TorchScript fuzz finding, crafted the same way: replayed through
    # the helper, each must come back as a message.
    os.makedirs(os.path.join(out, "crafted"), exist_ok=True)
    for f in sorted(os.listdir(regressions)):
        jobs[os.path.join("crafted", os.path.splitext(f)[0])] = (
            lambda p, src=os.path.join(regressions, f): rewrite_with_matching_crcs(src, p))
    partial = os.path.join(out, ".partial")
    os.makedirs(partial, exist_ok=True)
    for name, make in jobs.items():
        path = os.path.join(out, f"{name}.pt")
        if os.path.exists(path):
            continue
        # The archive's folder name is the file's stem: write under the final name.
        tmp = os.path.join(partial, os.path.basename(path))
        try:
            make(tmp)
        except (RuntimeError, UnicodeDecodeError) as e:  # a zip directory torch cannot read: nothing to craft
            print(f"skipped {name}: {str(e).splitlines()[0]}")
            continue
        with open(os.path.join(out, f"{name}.json"), "w") as f:
            json.dump({"name": os.path.basename(name), "input_shape": [1, 28, 28], "mean": [0.5], "std": [0.25]}, f)
        os.replace(tmp, path)
        print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def export_onnx(out, models_dir):
    """The bundled models (and the ELU net, an unsupported op) exported to
    ONNX by torch.onnx.export with a dynamic batch, each with a copy of its
    card: the ONNX importer's fixtures."""
    jobs = [(os.path.join(models_dir, f"{n}.pt"), n) for n in ("resnet20_fmnist", "mobilenetv2s_fmnist")]
    jobs.append((os.path.join(out, "elu_cnn_traced.pt"), "elu_cnn"))
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


def card(name, shape):
    c = dict(IMAGENET_CARD, name=name, input_shape=shape)
    if shape[1] != 224:
        c.update(resize=shape[1], crop=shape[1])
    return c


def export_torchvision_onnx(out, models=TORCHVISION_ONNX):
    """NAME_opK.onnx + card and NAME_traced.pt for each model and opset."""
    for name, opsets in models.items():
        shape = input_shape(name)
        x = torch.randn(1, *shape)
        traced = os.path.join(out, f"{name}_traced.pt")
        if not os.path.exists(traced):
            with torch.no_grad():
                torch.jit.trace(build(name), x, check_trace=False).save(traced + ".tmp")
            os.replace(traced + ".tmp", traced)
            print(f"wrote {traced}")
        for opset in opsets:
            path = os.path.join(out, f"{name}_op{opset}.onnx")
            if os.path.exists(path):
                continue
            torch.onnx.export(build(name), (x,), path + ".tmp", opset_version=opset,
                              input_names=["input"], output_names=["logits"])
            with open(os.path.join(out, f"{name}_op{opset}.json"), "w") as f:
                json.dump(card(f"{name}_op{opset}", shape), f)
            os.replace(path + ".tmp", path)
            print(f"wrote {path}")


def respell_opset18(src, dst):
    """An opset-17 file in the spellings of PyTorch 2.x's dynamo exporter at
    opset 18: Reduce* axes and Pad axes as inputs, Split by num_outputs. The
    onnx package here (1.12) checks up to opset 17, so ONNX Runtime is the
    only check of these files."""
    import onnx
    from onnx import helper, numpy_helper
    import numpy as np
    if os.path.exists(dst) or not os.path.exists(src):
        return
    m = onnx.load(src)
    nodes = []
    for n in m.graph.node:
        attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
        if n.op_type.startswith("Reduce") and "axes" in attrs:
            axes = n.name + "_axes"
            m.graph.initializer.append(numpy_helper.from_array(np.array(attrs.pop("axes"), np.int64), axes))
            n = helper.make_node(n.op_type, [n.input[0], axes], list(n.output), name=n.name, **attrs)
        elif n.op_type == "Split" and len(n.input) > 1:
            n = helper.make_node("Split", [n.input[0]], list(n.output), name=n.name, num_outputs=len(n.output), **attrs)
        elif n.op_type == "Pad" and len(n.input) == 2:
            axes = n.name + "_axes"  # every axis of a CNN's 4-D tensors
            m.graph.initializer.append(numpy_helper.from_array(np.arange(4, dtype=np.int64), axes))
            n = helper.make_node("Pad", [n.input[0], n.input[1], "", axes], list(n.output), name=n.name, **attrs)
        nodes.append(n)
    del m.graph.node[:]
    m.graph.node.extend(nodes)
    del m.opset_import[:]
    m.opset_import.extend([helper.make_opsetid("", 18)])
    onnx.save(m, dst + ".tmp")
    os.replace(dst + ".tmp", dst)
    print(f"wrote {dst}")


def strip_names(src, dst):
    """A copy with every node name removed, as some exporters write files."""
    import onnx
    if os.path.exists(dst) or not os.path.exists(src):
        return
    m = onnx.load(src)
    for n in m.graph.node:
        n.name = ""
    onnx.save(m, dst + ".tmp")
    os.replace(dst + ".tmp", dst)
    print(f"wrote {dst}")


def write_onnx_variants(out, name, opset=17):
    """NAME_op18 (respelled) and NAME_nonames_opK (names stripped), with cards."""
    src = os.path.join(out, f"{name}_op{opset}")
    for variant, make in ((f"{name}_op18", respell_opset18), (f"{name}_nonames_op{opset}", strip_names)):
        make(src + ".onnx", os.path.join(out, variant + ".onnx"))
        if os.path.exists(src + ".json") and not os.path.exists(os.path.join(out, variant + ".json")):
            shutil.copy(src + ".json", os.path.join(out, variant + ".json"))


def write_photos(out, n):
    """N seeded synthetic RGB photos of 256x256 (a smooth colour field plus
    noise) in 10 class folders: data for 224x224 runs, nothing downloaded."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(0)
    for i in range(n):
        folder = os.path.join(out, f"class_{i % 10}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"img_{i:05d}.jpg")
        low = rng.random((8, 8, 3)) * 255
        noise = rng.normal(0, 12, (256, 256, 3))
        if os.path.exists(path):
            continue
        img = Image.fromarray(low.astype(np.uint8)).resize((256, 256), Image.BICUBIC)
        Image.fromarray(np.clip(np.asarray(img) + noise, 0, 255).astype(np.uint8)).save(path, quality=90)


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
    write_hostile_files(out)
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
    write_photos(os.path.join(out, "photos224"), 40)
    write_onnx_variants(out, "tiny_modern")
    strip_names(os.path.join(out, "resnet18_op17.onnx"), os.path.join(out, "resnet18_nonames_op17.onnx"))
    if os.path.exists(os.path.join(out, "resnet18_op17.json")):
        shutil.copy(os.path.join(out, "resnet18_op17.json"), os.path.join(out, "resnet18_nonames_op17.json"))
    if len(sys.argv) > 2:
        export_onnx(out, sys.argv[2])


if __name__ == "__main__":
    main()
