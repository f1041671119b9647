#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The published run-spec schema (`metaaug spec --json-schema`) is valid JSON
Schema 2020-12, accepts the specs the engine accepts and refuses the ones it
refuses: each example is also given to `metaaug spec --check`."""
import json, os, re, subprocess, sys, tempfile

import jsonschema

cli = os.environ["METAAUG_CLI"]
schema = json.loads(subprocess.run([cli, "spec", "--json-schema"], check=True, capture_output=True, text=True).stdout)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

model = "/models/m.pt"
valid = [
    {"model": model},
    {"model": model, "method": "rtn", "iters": 0},
    {"model": model, "method": "metaaug", "wbits": 3, "seed": "9223372036854775807",
     "method_options": {"meta_iters": 3, "inner": "adam", "t_init": "file:/t.maugt", "t_frozen": True}},
    {"model": model, "method": "geniem", "setting": "brecq", "fold_bn": False, "engine_version": "0.1.0"},
]
invalid = [
    ({}, "model"),
    ({"model": model, "wbits": 9}, "wbits"),
    ({"model": model, "abits": 1}, "abits"),
    ({"model": model, "calib_size": 0}, "calib_size"),
    ({"model": model, "batch": 2.5}, "batch"),
    ({"model": model, "setting": "int8"}, "setting"),
    ({"model": model, "method": "frob"}, "method"),
    ({"model": model, "wbitz": 3}, "wbitz"),
    ({"model": model, "method_options": {"meta_iters": 3}}, "meta_iters"),  # geniem takes none
    ({"model": model, "method": "metaaug", "method_options": {"inner": "rmsprop"}}, "rmsprop"),
    ({"model": model, "method": "metaaug", "method_options": {"t_init": "bogus"}}, "bogus"),
    ({"model": model, "method": "metaaug", "method_options": {"t_lr": 2}}, "t_lr"),
]

failures = []
with tempfile.TemporaryDirectory() as tmp:
    def engine(spec):
        path = os.path.join(tmp, "spec.json")
        with open(path, "w") as f:
            json.dump(spec, f)
        r = subprocess.run([cli, "spec", "--check", path], capture_output=True, text=True)
        return r.returncode, r.stderr
    for spec in valid:
        errors = [e.message for e in validator.iter_errors(spec)]
        rc, err = engine(spec)
        if errors or rc != 0:
            failures.append(f"valid {spec}: schema {errors}, engine rc {rc} {err.strip()}")
    for spec, named in invalid:
        rc, err = engine(spec)
        if validator.is_valid(spec):
            failures.append(f"invalid {spec}: the schema accepts it")
        if rc == 0 or (named != "model" and named not in err):
            failures.append(f"invalid {spec}: engine rc {rc}, message {err.strip()!r} does not name {named}")

# Every flag of `metaaug quantize` is a field of the schema (a run-spec key or
# a method option), or one of the front end's own: output, recording, and
# the card overrides the schema's "card" (the card's values) stands for.
# --bits-file is read into the schema's "layer_bits"; --spec reads a whole spec (the schema's object) from a file,
# --rerun from a stored run.
frontEnd = {"help", "help-all", "json", "preset", "db", "no-store", "export", "quiet", "card", "input-shape", "mean", "std",
            "bits-file", "spec", "rerun"}
helpText = subprocess.run([cli, "quantize", "--help"], check=True, capture_output=True, text=True).stdout
flags = set(re.findall(r"^\s+(?:-\w, )?--([a-z0-9-]+)", helpText, re.M))
optionKeys = set()
for rule in schema["allOf"]:
    optionKeys |= set(rule["then"]["properties"]["method_options"].get("properties", {}))
for flag in sorted(flags - frontEnd):
    key = flag.replace("-", "_")
    if key.startswith("no_") and key[3:] in schema["properties"]:
        key = key[3:]
    if key not in schema["properties"] and key not in optionKeys:
        failures.append(f"--{flag} of metaaug quantize is not in the schema")
print(f"{len(flags)} quantize flags, {len(flags - frontEnd)} of them run-spec fields or method options, all in the schema")

print(f"{len(valid)} valid and {len(invalid)} invalid specs checked against schema and engine")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
