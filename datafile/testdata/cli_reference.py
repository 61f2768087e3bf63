"""Records how the Tinybird CLI splits datafiles, for cli_reference_test.go.

The CLI (tinybird/datafile parse()) splits each line with Python's
shlex.shlex(line) in non-POSIX mode with whitespace_split, re-splits a line
shlex refuses (unterminated quote) as shlex.quote(line), skips lines with no
words, opens a block on "KEYWORD >", and ends the block at a line that does
not start with a space or tab and whose first word is a known command. This
script runs that loop with the real shlex on random lines and files and
writes the results to cli_reference.json. Regenerate with:

    python3 testdata/cli_reference.py > testdata/cli_reference.json
"""
import json
import random
import shlex
import sys
from io import StringIO

KNOWN = set("backfill cache copy_mode copy_schedule datasource deployment_method description engine filter "
            "forward_query include indexes indices mode node partition_key primary_key resource sampling_key "
            "schema scope shared_with sorting_key source sql tags target_datasource token ttl type version".split())
PREFIXES = ["engine_", "kafka_", "import_", "export_", "s3_", "gcs_"]


def known(cmd):
    c = cmd.lower()
    return c in KNOWN or any(c.startswith(p) and len(c) > len(p) for p in PREFIXES)


def split(line):
    try:
        sa = shlex.shlex(line)
        sa.whitespace_split = True
        return list(sa), False
    except ValueError:
        sa = shlex.shlex(shlex.quote(line))
        sa.whitespace_split = True
        return list(sa), True


def parse(src):
    out, multiline, cmd, body = [], False, None, ""
    for line in StringIO(src, newline=None):
        words, requoted = split(line)
        if not words:
            continue
        c, args = words[0], words[1:]
        if multiline and known(c) and not line.startswith((" ", "\t")):
            out.append({"kw": cmd, "body": body})
            multiline = False
        if not multiline:
            if len(args) >= 1 and args[0] == ">":
                multiline, cmd, body = True, c, ""
            elif not requoted:
                out.append({"kw": c, "args": args})
        else:
            body += line
    if multiline:
        out.append({"kw": cmd, "body": body})
    return out


def main():
    rnd = random.Random(7)
    alphabet = ["a", "b", "R", "E", " ", " ", "\t", '"', "'", "#", ">", "_", "-", "x"]
    lines = []
    for _ in range(2000):
        line = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 14)))
        words, requoted = split(line + "\n")
        lines.append({"line": line, "words": [] if requoted else words, "unterminated": requoted})
    frags = ["TOKEN a READ", "token 'a b' APPEND", "SQL >", "  SELECT 1", "\tTOKEN x APPEND", "NODE n", "FROM t",
             "# c", "   # c", "", "  ", "SCHEMA >", "DESCRIPTION > hi", "TYPE endpoint", "SELECT 'x",
             "TOKEN \"open READ", "ENGINE_TTL x", "FOO bar", "  x # y", "node m", "SETTINGS a=1", ">", "TOKEN >",
             "KAFKA_TOPIC t", "TOKEN a#b READ", "  '", "INDEXES >"]
    files = []
    for _ in range(600):
        sep = rnd.choice(["\n", "\r\n", "\r"])
        src = sep.join(rnd.choice(frags) for _ in range(rnd.randint(0, 12))) + rnd.choice(["", sep])
        files.append({"src": src, "directives": parse(src)})
    json.dump({"lines": lines, "files": files}, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


main()
