#!/usr/bin/env python3
"""No import cycles between source files (issue 11; ARCHITECTURE.md, invariants).

For every crate under crates/, each file of src/ is a module; an edge A -> B is a path in A
(`crate::x::y`, `super::x`, `self::x`) that names B's module or an item inside it. Edges between a
module and its ancestors are left out: a child using its parent's items (`use super::*`) is how
Rust splits a module, not a cycle between siblings. The check fails on any cycle among the rest and
prints it. Run from anywhere; CI runs it from .ci/run.
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PATH = re.compile(r"\b(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")


def module_of(src, path):
    rel = os.path.relpath(path, src)[: -len(".rs")].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return tuple(rel)


def resolve(module, is_dir_module, head, tail, modules):
    if head == "crate":
        base = ()
    else:
        # `self` is the module; `super` its parent (a mod.rs file is its own directory).
        base = module if head == "self" else module[:-1]
    parts = tail.strip(":").split("::")
    while parts and parts[0] == "super":
        base, parts = base[:-1], parts[1:]
    best = None
    for i in range(len(parts) + 1):
        cand = base + tuple(parts[:i])
        if cand in modules:
            best = cand
    return best


def cycles_in(crate):
    src = os.path.join(crate, "src")
    files = {}
    for d, _, names in os.walk(src):
        for n in names:
            if n.endswith(".rs"):
                p = os.path.join(d, n)
                files[module_of(src, p)] = p
    edges = {m: set() for m in files}
    for m, p in files.items():
        text = open(p, encoding="utf-8").read()
        # Tests may reach anywhere; only the library code counts.
        text = text.split("#[cfg(test)]")[0]
        # Comments name modules without using them.
        text = "\n".join(l.split("//")[0] for l in text.splitlines())
        for head, tail in PATH.findall(text):
            target = resolve(m, p.endswith("mod.rs"), head, tail, files)
            if target is None or target == m:
                continue
            if target == m[: len(target)] or m == target[: len(m)]:
                continue  # ancestor or descendant
            edges[m].add(target)
    found, state, stack = [], {}, []

    def visit(u):
        state[u] = 1
        stack.append(u)
        for v in sorted(edges[u]):
            if state.get(v) == 1:
                found.append(stack[stack.index(v):] + [v])
            elif v not in state:
                visit(v)
        stack.pop()
        state[u] = 2

    for m in sorted(files):
        if m not in state:
            visit(m)
    return [[files[m] for m in c] for c in found]


def main():
    bad = 0
    crates = os.path.join(ROOT, "crates")
    for name in sorted(os.listdir(crates)):
        for c in cycles_in(os.path.join(crates, name)):
            bad += 1
            print("cycle: " + " -> ".join(os.path.relpath(p, ROOT) for p in c))
    if bad:
        print(f"import cycles: {bad} (split the shared items into a module both can use)")
        return 1
    print("import cycles: none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
