#!/usr/bin/env python3
"""Counts PolyNet's public symbols and how many have a summary (a doc comment whose first
paragraph is not empty), from the symbol graphs that `swift package generate-documentation`
(scripts/build-docs.sh) extracts into .build/<triple>/extracted-symbols/<package>/<Module>/.

A symbol counts when it is declared in one of the library modules (its own graph or an extension
graph `Module@Other.symbols.json`) with public or open access. Compiler-synthesized symbols
(`::SYNTHESIZED::` in the identifier: Equatable's !=, Codable's init(from:) and the like) are
counted separately: they carry the protocol's documentation, not ours. Members that implement a
protocol requirement without a comment of their own inherit its documentation (as DocC shows
them); those inherited from another module's protocol (`description`, `init(rawValue:)`) are
counted as having a summary and reported in the total line.

usage: scripts/count-doc-summaries.py [--list] [SYMBOL-GRAPH-DIR]
"""
import glob
import json
import os
import sys

MODULES = ["LinearAlgebra", "Polynomials", "Activations", "NeuralNetworks", "Training", "PolynomialConversion",
           "Polynomialization", "Interpretability", "Datasets", "Interop", "Plotting", "FileSystem", "PolyNet"]


def summary(symbol):
    lines = [line.get("text", "") for line in (symbol.get("docComment") or {}).get("lines", [])]
    first = []
    for line in lines:
        if not line.strip():
            if first:
                break
            continue
        if line.strip().startswith("- "):  # a callout (- Parameters:, - Throws:) is not a summary
            break
        first.append(line.strip())
    return " ".join(first)


def main():
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    listing = "--list" in sys.argv
    root = arguments[0] if arguments else None
    if root is None:
        candidates = glob.glob(os.path.join(os.path.dirname(__file__), "..", ".build", "*", "extracted-symbols", "*"))
        if not candidates:
            sys.exit("no symbol graphs: run scripts/build-docs.sh first")
        root = max(candidates, key=os.path.getmtime)
    seen = {}
    for module in MODULES:
        for path in glob.glob(os.path.join(root, module, "*.symbols.json")):
            graph = json.load(open(path))
            for symbol in graph["symbols"]:
                if symbol.get("accessLevel") not in ("public", "open"):
                    continue
                identifier = symbol["identifier"]["precise"]
                seen[identifier] = (module, symbol)
    counts = {}
    missing = []
    synthesized = 0
    inherited = 0
    for identifier, (module, symbol) in seen.items():
        if "::SYNTHESIZED::" in identifier:
            synthesized += 1
            continue
        total, documented = counts.get(module, (0, 0))
        has = bool(summary(symbol))
        if has and (symbol.get("docComment") or {}).get("module", module) != module:
            inherited += 1  # e.g. `description`: the documentation of the protocol requirement
        counts[module] = (total + 1, documented + (1 if has else 0))
        if not has:
            missing.append((module, symbol["kind"]["displayName"], ".".join(symbol["pathComponents"]),
                            (symbol.get("location") or {}).get("uri", "").split("/Sources/")[-1],
                            (symbol.get("location") or {}).get("position", {}).get("line", 0) + 1))
    width = max(len(m) for m in MODULES)
    for module in MODULES:
        total, documented = counts.get(module, (0, 0))
        print(f"{module:<{width}}  {documented:5d} / {total:5d} with a summary")
    total = sum(t for t, _ in counts.values())
    documented = sum(d for _, d in counts.values())
    print(f"{'all':<{width}}  {documented:5d} / {total:5d} with a summary "
          f"({inherited} of them inherit the summary of a protocol requirement declared in another module; "
          f"{synthesized} compiler-synthesized symbols not counted)")
    if listing:
        for module, kind, path, uri, line in sorted(missing):
            print(f"missing: {module} {kind} {path}  ({uri}:{line})")
    return 0 if not missing else 1


if __name__ == "__main__":
    sys.exit(main())
