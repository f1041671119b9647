#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ONNX import benchmark's model zoo: every torchvision classification
CNN family, exported by torch.onnx.export with default options (constant
folding on, weights as initializers) at opsets 13, 14 and 17, respelled for
opset 18, and without node names, beside a traced TorchScript copy of the
same weights and an ImageNet card.

    /usr/bin/python3 bench/onnx_zoo.py OUT_DIR [FAMILY ...]

Files already there are kept. bench/onnx_zoo.sh runs the importer test on
the whole folder (units equal to the TorchScript import, logits equal to
ONNX Runtime's).
"""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import torch
from make_fixtures import export_torchvision_onnx, strip_names, write_onnx_variants  # noqa: E402

FAMILIES = ["resnet18", "resnet50", "resnext50_32x4d", "wide_resnet50_2", "densenet121", "squeezenet1_1",
            "mobilenet_v2", "mobilenet_v3_small", "mnasnet1_0", "shufflenet_v2_x1_0", "efficientnet_b0",
            "regnet_x_400mf", "regnet_y_400mf", "googlenet", "convnext_tiny"]
OPSETS = [13, 14, 17]


def main():
    out = sys.argv[1]
    families = sys.argv[2:] or FAMILIES
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(2)
    export_torchvision_onnx(out, {name: OPSETS for name in families})
    for name in families:
        write_onnx_variants(out, name)  # opset 18 and a copy without node names


if __name__ == "__main__":
    main()
