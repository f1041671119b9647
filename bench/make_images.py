#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A folder of synthetic photos for the 224x224 benchmarks (no ImageNet on
this machine, nothing is downloaded): N seeded RGB images of 256x256 in 10
class folders (scripts/make_fixtures.py's write_photos). Their content does
not matter for memory and time; accuracy figures on them mean nothing.

    /usr/bin/python3 bench/make_images.py OUT_DIR [N]
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from make_fixtures import write_photos  # noqa: E402

if __name__ == "__main__":
    write_photos(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1024)
