#!/usr/bin/python3
"""tests/e2e/rules_in_code.py TOP — print every finding rule code the C sources emit, one per line, sorted.

A rule is the third argument of results_add_finding(...) or of a helper that
passes its own `rule` parameter on (rec_finding); a literal there, each literal
of a conditional there, or the `return "…"` literals of a function called there
(read_rule(...))."""
import os, re, sys

top = sys.argv[1] if len(sys.argv) > 1 else "."
CALLERS = ("results_add_finding", "rec_finding")
srcs = {}
for d in ("base", "input", "config", "pipeline", "output", "charts", "cli"):
    for f in sorted(os.listdir(os.path.join(top, d))):
        if f.endswith(".c"):
            srcs[os.path.join(d, f)] = open(os.path.join(top, d, f), encoding="utf-8").read()

def args_at(text, i):
    """The top-level arguments of the call whose '(' is at text[i]."""
    out, depth, cur, j, n = [], 0, [], i, len(text)
    while j < n:
        c = text[j]
        if c == '"':
            k = j + 1
            while text[k] != '"':
                k += 2 if text[k] == "\\" else 1
            cur.append(text[j:k + 1]); j = k + 1; continue
        if c == "'":
            k = text.index("'", j + 2 if text[j + 1] == "\\" else j + 1)
            cur.append(text[j:k + 1]); j = k + 1; continue
        if c == "(":
            depth += 1
            if depth == 1: j += 1; continue
        elif c == ")":
            depth -= 1
            if depth == 0:
                out.append("".join(cur).strip()); return out
        elif c == "," and depth == 1:
            out.append("".join(cur).strip()); cur = []; j += 1; continue
        cur.append(c); j += 1
    return out

LIT = re.compile(r'"([a-z][a-z0-9_]*)"')
rules, unresolved = set(), []
for path, text in srcs.items():
    for name in CALLERS:
        for m in re.finditer(r"\b%s\s*\(" % name, text):
            a = args_at(text, m.end() - 1)
            if len(a) < 3: continue
            rule = a[2]
            if re.search(r"\bchar\b", rule): continue          # the definition or a prototype
            if re.fullmatch(r"\w+", rule) and not rule.startswith('"'):
                # a parameter passed on (the helper's own definition): not a code
                if rule == "rule": continue
                unresolved.append((path, rule)); continue
            lits = LIT.findall(rule)
            call = re.match(r"(\w+)\s*\(", rule)
            if call and not lits:
                fn = call.group(1)
                found = False
                for t2 in srcs.values():
                    fm = re.search(r"\b%s\s*\([^;{]*\)\s*\{" % fn, t2)
                    if fm:
                        body_end = t2.index("\n}", fm.end())
                        lits = re.findall(r'return\s+[^;]*?"([a-z][a-z0-9_]*)"', t2[fm.end():body_end])
                        lits += re.findall(r'\?\s*"([a-z][a-z0-9_]*)"', t2[fm.end():body_end])
                        found = True
                        break
                if not found: unresolved.append((path, rule))
            if not lits and not call: unresolved.append((path, rule))
            rules.update(lits)
for p, r in unresolved:
    print("rules_in_code.py: cannot resolve rule argument %r in %s" % (r, p), file=sys.stderr)
for r in sorted(rules):
    print(r)
sys.exit(1 if unresolved else 0)
