#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that the documentation the project points at exists.

CTest `doc_references` (no arguments besides the source root):
- every path under docs/ (and every other .md file) that a source file of
  core, ui, app, plugins, tests, scripts, bench or packaging names exists;
  where the path is followed by a quoted section (docs/X.md, "Section"), the
  file has a heading that starts with that text; a section of the README
  named in the code (README, "Section") is a heading of README.md;
- every relative link and image of README.md and docs/*.md exists, and a
  link's #anchor names a heading of its target.

CTest `options_reference` (--options CLI): `CLI spec --markdown` equals the
committed docs/options.md, so the option reference cannot drift from the
field tables it is made from.

Exit status 1 with one line per fault, each naming the file and line.
"""
import difflib
import pathlib
import re
import subprocess
import sys

CODE_DIRS = ("core", "ui", "app", "plugins", "tests", "scripts", "bench", "packaging")
CODE_SUFFIXES = {".cpp", ".h", ".sh", ".py", ".txt", ".cmake", ".in"}
# A cited document: a docs/ path, or any path ending in .md with a folder.
# The optional tail is a quoted section: `docs/x.md, "Section"` or
# `docs/x.md ("Section")`.
CITE = re.compile(r'(?<![\w./-])((?:docs/[\w./-]*[\w/])|(?:[\w.-]+/)+[\w.-]+\.md)'
                  r'(?:(?:,\s*|\s*\(\s*)"([^"]+)")?')
# A section of the top-level README named in the code: README "Layout",
# README, "Hardening" (tests/fuzz/README.md and the like are paths: CITE).
README_SECTION = re.compile(r'(?<![\w./-])README(?:\.md)?,?\s*\(?"([^"]+)"')
LINK = re.compile(r'!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)')
HEADING = re.compile(r'^#{1,6}\s+(.*?)\s*#*\s*$')


def headings(path: pathlib.Path) -> list[str]:
    out, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (m := HEADING.match(line)):
            out.append(m.group(1))
    return out


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[`*_]", "", heading.lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def has_section(path: pathlib.Path, section: str) -> bool:
    want = section.lower()
    return any(h.replace("`", "").lower().startswith(want) for h in headings(path))


def check_citations(root: pathlib.Path, faults: list[str]) -> int:
    count = 0
    me = pathlib.Path(__file__).resolve()
    for folder in CODE_DIRS:
        for f in sorted((root / folder).rglob("*")):
            if not f.is_file() or f.resolve() == me:
                continue
            if f.suffix not in CODE_SUFFIXES and f.name != "CMakeLists.txt":
                continue
            if "corpus" in f.parts or "regressions" in f.parts:
                continue  # fuzz inputs: bytes, not prose
            try:
                text = f.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            for n, line in enumerate(text.splitlines(), 1):
                for m in CITE.finditer(line):
                    cited, section = m.group(1).rstrip("."), m.group(2)
                    if cited.startswith("docs/") or cited.endswith(".md"):
                        count += 1
                        where = f"{f.relative_to(root)}:{n}"
                        target = root / cited
                        if not target.exists():
                            faults.append(f"{where}: cites {cited}, which does not exist")
                        elif section and target.suffix == ".md" and not has_section(target, section):
                            faults.append(f"{where}: cites {cited}, \"{section}\", which has no such heading")
                for m in README_SECTION.finditer(line):
                    count += 1
                    if not has_section(root / "README.md", m.group(1)):
                        faults.append(f"{f.relative_to(root)}:{n}: cites README \"{m.group(1)}\", "
                                      "which README.md has no heading for (the long texts live in docs/)")
    return count


def check_links(root: pathlib.Path, faults: list[str]) -> int:
    count = 0
    pages = [root / "README.md"] + sorted((root / "docs").glob("*.md"))
    for page in pages:
        fenced = False
        for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("```"):
                fenced = not fenced
            if fenced:
                continue
            for m in LINK.finditer(line):
                href = m.group(1)
                if re.match(r"^[a-z]+:", href):
                    continue  # http:, https:, mailto:
                count += 1
                where = f"{page.relative_to(root)}:{n}"
                ref, _, anchor = href.partition("#")
                target = (page.parent / ref).resolve() if ref else page
                if not target.exists():
                    faults.append(f"{where}: links to {href}, and {ref} does not exist")
                elif anchor and target.suffix == ".md" and anchor not in {slug(h) for h in headings(target)}:
                    faults.append(f"{where}: links to {href}, and {ref or page.name} has no heading with anchor #{anchor}")
    return count


def check_options(root: pathlib.Path, cli: str) -> int:
    committed = root / "docs" / "options.md"
    made = subprocess.run([cli, "spec", "--markdown"], capture_output=True, text=True)
    if made.returncode != 0:
        print(f"{cli} spec --markdown failed ({made.returncode}): {made.stderr.strip()}")
        return 1
    old = committed.read_text(encoding="utf-8") if committed.exists() else ""
    if made.stdout == old:
        print(f"{committed.relative_to(root)} matches `metaaug spec --markdown`")
        return 0
    sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), made.stdout.splitlines(True),
                                               "docs/options.md (committed)", "metaaug spec --markdown"))
    print(f"\ndocs/options.md is out of date with the field tables; regenerate it from the source root with\n"
          f"  build/bin/metaaug spec --markdown > docs/options.md")
    return 1


def main() -> int:
    args = sys.argv[1:]
    root = pathlib.Path(__file__).resolve().parent.parent
    if args and args[0] != "--options":
        root = pathlib.Path(args.pop(0)).resolve()
    if args[:1] == ["--options"] and len(args) == 2:
        return check_options(root, args[1])
    if args:
        print("usage: check_doc_refs.py [ROOT] [--options METAAUG_CLI]")
        return 2
    faults: list[str] = []
    cited = check_citations(root, faults)
    linked = check_links(root, faults)
    for fault in faults:
        print(fault)
    print(f"{cited} citations in the code, {linked} relative links in README.md and docs/: {len(faults)} broken")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
