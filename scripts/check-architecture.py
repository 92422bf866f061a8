#!/usr/bin/env python3
"""Checks that ARCHITECTURE.md's module table says what Package.swift declares.

The table under "## Modules" has one row per non-test target: `| `Module` | `Dep`, `Dep` | why |` (a dash when
the module imports none of ours). A module added, removed or rewired in Package.swift without the article
following fails here, so the article a newcomer reads is the graph that builds.

Usage: scripts/check-architecture.py [PACKAGE_DIR]   (exit 1 with one line per difference)
"""
import json
import os
import re
import subprocess
import sys

ROW = re.compile(r"^\|\s*`([A-Za-z0-9_-]+)`\s*\|([^|]*)\|")
NAME = re.compile(r"`([A-Za-z0-9_-]+)`")


def main() -> int:
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    package = json.loads(subprocess.run(
        ["swift", "package", "--package-path", root, "dump-package"], check=True, capture_output=True, text=True
    ).stdout)
    declared = {}
    for target in package["targets"]:
        if target["type"] == "test":
            continue
        names = set()
        for dependency in target.get("dependencies", []):
            for kind in ("byName", "target", "product"):
                if kind in dependency:
                    names.add(dependency[kind][0])
        declared[target["name"]] = names

    with open(os.path.join(root, "ARCHITECTURE.md"), encoding="utf-8") as handle:
        text = handle.read()
    section = text.split("\n## Modules", 1)
    if len(section) < 2:
        print("architecture: ARCHITECTURE.md has no '## Modules' section", file=sys.stderr)
        return 1
    body = section[1].split("\n## ", 1)[0]
    written = {}
    for line in body.splitlines():
        match = ROW.match(line)
        if match and match.group(1) != "module":
            written[match.group(1)] = set(NAME.findall(match.group(2)))

    problems = []
    for module in sorted(set(declared) | set(written)):
        if module not in written:
            problems.append(f"{module} is a target in Package.swift but has no row in ARCHITECTURE.md")
        elif module not in declared:
            problems.append(f"{module} has a row in ARCHITECTURE.md but is not a target in Package.swift")
        elif declared[module] != written[module]:
            missing = sorted(declared[module] - written[module])
            extra = sorted(written[module] - declared[module])
            detail = "; ".join(
                part for part in (
                    f"Package.swift also declares {', '.join(missing)}" if missing else "",
                    f"the article also names {', '.join(extra)}" if extra else "",
                ) if part
            )
            problems.append(f"{module}: {detail}")
    for problem in problems:
        print(f"architecture: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
