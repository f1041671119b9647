#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the folder order of core/: a folder may include only folders
listed before it in core/CMakeLists.txt's add_subdirectory() calls (the
order docs/layout.md, "core's layers" shows). Also: core/ never includes ui/ or app/, ui/
never includes app/, and ui/ opens the run store only through StoreClient
(and the two recording jobs). Prints every include that runs upward; exit 1 if any."""
import os, re, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
core = os.path.join(root, "core")
order = re.findall(r"^add_subdirectory\((\w+)\)", open(os.path.join(core, "CMakeLists.txt")).read(), re.M)
rank = {name: i for i, name in enumerate(order)}
include = re.compile(r'^\s*#\s*include\s+"(\w+)/')
bad = []

def scan(folder, allowed):
    for dirpath, _, files in os.walk(folder):
        for f in files:
            if not f.endswith((".h", ".cpp")):
                continue
            path = os.path.join(dirpath, f)
            for n, line in enumerate(open(path, encoding="utf-8"), 1):
                m = include.match(line)
                if m and not allowed(path, m.group(1)):
                    bad.append(f"{os.path.relpath(path, root)}:{n}: includes {m.group(1)}/")

def core_allowed(path, target):
    src = os.path.relpath(path, core).split(os.sep)[0]
    if target in ("ui", "app"):
        return False
    if target not in rank or src not in rank:
        return True  # not a core folder (e.g. a library's own folder)
    return rank[target] <= rank[src]

scan(core, core_allowed)
scan(os.path.join(root, "ui"), lambda path, target: target != "app")
# ui/ reaches the store through StoreClient; only the two recording jobs
# open their own connection (see ui/storeclient.h).
store_openers = {"storeclient.cpp", "runworker.cpp", "analysispanel.cpp"}
for f in sorted(os.listdir(os.path.join(root, "ui"))):
    if f.endswith((".h", ".cpp")) and f not in store_openers:
        for n, line in enumerate(open(os.path.join(root, "ui", f), encoding="utf-8"), 1):
            if "RunStore::open(" in line:
                bad.append(f"ui/{f}:{n}: opens the run store itself; use StoreClient")
missing = [d for d in os.listdir(core) if os.path.isdir(os.path.join(core, d)) and d not in rank]
for d in missing:
    bad.append(f"core/{d}/ is not in core/CMakeLists.txt's order")
print(f"core folders, bottom up: {' < '.join(order)}")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
