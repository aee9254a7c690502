#!/usr/bin/env python3
"""Files under ~800 lines, functions under ~120 (DEVELOPERS.md; issue 11).

Scans every `.rs` file under `crates/` and fails when
- a file has more than FILE_LIMIT lines, or
- a function body has more than FN_LIMIT lines and no reason for its length: a line comment
  starting with `// Long:` among the doc comments and attributes right above its `fn` line.

Functions are found by their `fn name(` line and measured by brace matching on the source with
string, char and comment contents blanked out, so a `{` in a format string does not count.

    python3 scripts/check-lengths.py            # check, exit 1 on a violation
    python3 scripts/check-lengths.py --list N   # the N longest functions, reasons included
"""
import os
import re
import sys

FILE_LIMIT = 800
FN_LIMIT = 120
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates")
FN_LINE = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def blank(source):
    """The source with the contents of comments, strings and chars replaced by spaces."""
    out = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        nxt = source[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            j = source.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c == "/" and nxt == "*":
            j = source.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", source[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', source[i:i + 10]) and not (i > 0 and (source[i - 1].isalnum() or source[i - 1] == "_")):
            hashes = re.match(r'r(#*)"', source[i:]).group(1)
            end = '"' + hashes
            j = source.find(end, i + 2 + len(hashes))
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", source[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and source[j] != '"':
                j += 2 if source[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(re.sub(r"[^\n]", " ", source[i:j]))
            i = j
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", source[i:i + 4]):
            m = re.match(r"'(\\.|[^\\'])'", source[i:i + 4])
            out.append(" " * len(m.group(0)))
            i += len(m.group(0))
        elif c == "'" and re.match(r"'\\u\{[0-9a-fA-F]+\}'", source[i:i + 12]):
            m = re.match(r"'\\u\{[0-9a-fA-F]+\}'", source[i:i + 12])
            out.append(" " * len(m.group(0)))
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    """(name, first line, body lines, reason) of every function with a body in the file."""
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    raw_lines = raw.split("\n")
    lines = blank(raw).split("\n")
    found = []
    for start, line in enumerate(lines):
        m = FN_LINE.match(line)
        if not m:
            continue
        depth, opened, end, nested = 0, False, None, 0
        for row in range(start, len(lines)):
            for ch in lines[row]:
                if ch in "([" and not opened:
                    nested += 1  # `[f64; 3]` in a signature is not the end of a declaration
                elif ch in ")]" and not opened:
                    nested -= 1
                elif ch == "{":
                    depth, opened = depth + 1, True
                elif ch == "}":
                    depth -= 1
                elif ch == ";" and not opened and depth == 0 and nested == 0:
                    end = -1  # a declaration without a body
                    break
                if opened and depth == 0:
                    end = row
                    break
            if end is not None:
                break
        if end is None or end < 0:
            continue
        reason = None
        row = start - 1
        while row >= 0 and raw_lines[row].strip().startswith(("///", "//", "#[", "#![")):
            text = raw_lines[row].strip()
            if text.startswith("// Long:"):
                reason = text[len("// Long:"):].strip()
            row -= 1
        found.append((m.group(6), start + 1, end - start + 1, reason))
    return found, len(raw_lines) - (1 if raw.endswith("\n") else 0)


def main():
    listing = None
    if len(sys.argv) == 3 and sys.argv[1] == "--list":
        listing = int(sys.argv[2])
    problems, every = [], []
    for base, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d != "target"]
        for name in sorted(files):
            if not name.endswith(".rs"):
                continue
            path = os.path.join(base, name)
            rel = os.path.relpath(path, os.path.join(ROOT, ".."))
            fns, count = functions(path)
            if count > FILE_LIMIT:
                problems.append(f"{rel}: {count} lines (limit {FILE_LIMIT}): split it along its seams")
            for fn_name, line, length, reason in fns:
                every.append((length, f"{rel}:{line}", fn_name, reason))
                if length > FN_LIMIT and not reason:
                    problems.append(
                        f"{rel}:{line}: fn {fn_name} is {length} lines (limit {FN_LIMIT}): "
                        "split it, or say why above it with `// Long: <reason>`"
                    )
    if listing is not None:
        for length, where, fn_name, reason in sorted(every, reverse=True)[:listing]:
            print(f"{length:5} {where} {fn_name}" + (f"  [long: {reason}]" if reason else ""))
        return 0
    long_with_reason = sum(1 for length, _, _, reason in every if length > FN_LIMIT and reason)
    if problems:
        print("\n".join(problems))
        print(f"lengths: {len(problems)} problem(s)")
        return 1
    print(f"lengths: ok ({len(every)} functions; {long_with_reason} over {FN_LIMIT} lines with a reason)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
