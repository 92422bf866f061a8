#!/usr/bin/env python3
"""Checks that every target imports exactly the modules Package.swift declares for it.

A target that imports a module it does not declare builds only by accident (another target pulled the module
into the build first) and hides a layering edge from Package.swift and ARCHITECTURE.md; a declared dependency
that no file imports is an edge that is not there. Reads `swift package dump-package` (no resolution needed).

Usage: scripts/check-imports.py [PACKAGE_DIR]   (exit 1 with one line per problem)
"""
import json
import os
import re
import subprocess
import sys

# Modules of the toolchain and the system: importing them needs no declaration.
SYSTEM = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Musl", "Darwin", "Dispatch",
    "Synchronization", "_Concurrency", "Testing", "XCTest", "os",
}
# Product name -> module name, where they differ.
PRODUCT_MODULES = {"ArgumentParser": "ArgumentParser", "Crypto": "Crypto"}
IMPORT = re.compile(
    r"^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|private|fileprivate)\s+)?"
    r"import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)"
)
C_INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def main() -> int:
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    package = json.loads(subprocess.run(
        ["swift", "package", "--package-path", root, "dump-package"], check=True, capture_output=True, text=True
    ).stdout)
    problems = []
    for target in package["targets"]:
        if target["type"] in ("system", "binary", "plugin", "macro"):
            continue
        name = target["name"]
        path = target.get("path") or os.path.join("Tests" if target["type"] == "test" else "Sources", name)
        directory = os.path.join(root, path)
        declared = set()
        for dependency in target.get("dependencies", []):
            for kind in ("byName", "target"):
                if kind in dependency:
                    declared.add(dependency[kind][0])
            if "product" in dependency:
                declared.add(PRODUCT_MODULES.get(dependency["product"][0], dependency["product"][0]))
        imported = {}
        for folder, _, files in os.walk(directory):
            for file in files:
                if not file.endswith(".swift"):
                    continue
                with open(os.path.join(folder, file), encoding="utf-8") as handle:
                    for number, line in enumerate(handle, 1):
                        match = IMPORT.match(line)
                        if match and match.group(1) not in SYSTEM:
                            imported.setdefault(match.group(1), f"{os.path.relpath(folder, root)}/{file}:{number}")
        swift_files = any(f.endswith(".swift") for _, _, fs in os.walk(directory) for f in fs)
        for module, where in sorted(imported.items()):
            if module not in declared and module != name:
                problems.append(f"{name}: imports {module} ({where}) without declaring it in Package.swift")
        if not swift_files:
            continue  # C targets: their dependencies are headers, checked by the compiler.
        targets = {t["name"] for t in package["targets"]}
        executables = {t["name"] for t in package["targets"] if t["type"] == "executable"}
        for module in sorted(declared - set(imported)):
            # Tests declare executables they run as child processes; those are built, never imported.
            if module in executables:
                continue
            if module in targets or module in PRODUCT_MODULES.values():
                problems.append(f"{name}: declares {module} in Package.swift but no file imports it")
    for problem in problems:
        print(f"imports: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
