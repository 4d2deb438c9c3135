#!/usr/bin/env python3
"""Regenerates the data of crates/podlife/src/rules.rs from the rule reference, docs/rules.md.

    python3 scripts/gen_rules.py > /tmp/rules_data.rs

prints the `RULES` entries (one `r(...)` call per rule); paste them between the `// BEGIN RULES`
and `// END RULES` markers of crates/podlife/src/rules.rs (the block is `#[rustfmt::skip]`). A test
in rules.rs reads docs/rules.md and fails when the two differ.

Each rule of docs/rules.md is a `### R<n>. <title>` heading, then its text, then a line
`- **Upstream:** [...](url) ...` whose first link is the rule's source, and, where one exists, a line
`- **On kubernetes.io:** [...](url)`.
"""
import re
import sys

HEADING = re.compile(r"^### (R\d+)\. (.+)$")
UPSTREAM = re.compile(r"^- \*\*Upstream:\*\* \[[^\]]*\]\((https://github\.com/([^/]+/[^/]+)/(?:blob|tree)/[^/]+/([^)]+))\)")
LEARN = re.compile(r"^- \*\*On kubernetes\.io:\*\* \[[^\]]*\]\((https://kubernetes\.io/[^)]+)\)")


def rules(text):
    """(id, title, source, url, learn) for each rule, in order."""
    found, current = [], None
    for line in text.splitlines():
        if m := HEADING.match(line):
            current = {"id": m.group(1), "title": m.group(2).replace("`", ""), "learn": ""}
            found.append(current)
        elif current and (m := UPSTREAM.match(line)):
            current.setdefault("url", m.group(1))
            current.setdefault("source", f"{m.group(2)} {m.group(3)}")
        elif current and (m := LEARN.match(line)):
            current["learn"] = m.group(1)
    for r in found:
        if "url" not in r:
            raise SystemExit(f"{r['id']}: no **Upstream:** link")
    return found


def main():
    text = open(sys.argv[1] if len(sys.argv) > 1 else "docs/rules.md").read()
    for r in rules(text):
        title = r["title"].replace('"', '\\"')
        print(f'    r("{r["id"]}", "{title}", "{r["source"]}", "{r["url"]}", "{r["learn"]}"),')


main()
