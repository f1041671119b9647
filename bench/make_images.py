#!/usr/bin/python3
"""A folder of synthetic photos for the 224x224 benchmarks (no ImageNet on
this machine, nothing is downloaded): N smooth random RGB images of 256x256
in 10 class folders, seeded. Their content does not matter for memory and
time; accuracy figures on them mean nothing.

    /usr/bin/python3 bench/make_images.py OUT_DIR [N]
"""
import os
import sys

import numpy as np
from PIL import Image


def main():
    out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    rng = np.random.default_rng(0)
    for i in range(n):
        folder = os.path.join(out, f"class_{i % 10}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"img_{i:05d}.jpg")
        if os.path.exists(path):
            continue
        low = rng.random((8, 8, 3)) * 255  # coarse colour field, upsampled: photo-like smoothness
        img = Image.fromarray(low.astype(np.uint8)).resize((256, 256), Image.BICUBIC)
        noise = rng.normal(0, 12, (256, 256, 3))
        Image.fromarray(np.clip(np.asarray(img) + noise, 0, 255).astype(np.uint8)).save(path, quality=90)


if __name__ == "__main__":
    main()
