#!/usr/bin/env python3
"""Runs a composite GitHub Action's steps locally, as the Actions runner does.

usage: run-action.py ACTION_DIR [name=value …]

Each name=value is an input (`with:` in a workflow). The action's action.yml
is read; for every step, in order, the runner's behaviour is reproduced:

- `if:` is evaluated (default `success()`), with `inputs`, `github`, `runner`
  and `steps` contexts, `!`, `&&`, `||`, `==`, `!=`, string literals, and the
  status functions success(), failure(), always(), cancelled();
- `${{ … }}` in `env:`, `working-directory:` and output values is expanded;
- `run:` is written to a file and run with `bash --noprofile --norc -eo
  pipefail FILE`, the runner's command for `shell: bash`, in the step's
  working directory (GITHUB_WORKSPACE when unset), with GITHUB_OUTPUT,
  GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY, GITHUB_ACTION_PATH and the
  step's env set; lines written to GITHUB_OUTPUT (name=value or
  name<<DELIM heredocs) become `steps.<id>.outputs`, GITHUB_PATH lines are
  prepended to PATH and GITHUB_ENV lines exported for the later steps.

An expression the emulator does not understand is an error, so a test never
passes on a step it silently misread. The environment passes through
(GITHUB_WORKSPACE, RUNNER_TEMP, GITHUB_STEP_SUMMARY, GITHUB_ACTION_REF come
from the caller; the action's github.action_ref is GITHUB_ACTION_REF).

It prints each step's output, then `outputs:` and one `name=value` line per
action output, and exits 1 when a step failed (the action failed), else 0.
"""

import os
import re
import subprocess
import sys
import tempfile

import yaml


class ExprError(Exception):
    pass


TOKEN = re.compile(r"\s*(?:(==|!=|&&|\|\||!|\(|\))|'((?:[^']|'')*)'|([A-Za-z_][\w.-]*(?:\(\))?))")


def tokenize(text):
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError(f"cannot read expression {text!r} at {text[pos:]!r}")
        op, lit, name = m.groups()
        if op:
            out.append(("op", op))
        elif lit is not None:
            out.append(("str", lit.replace("''", "'")))
        else:
            out.append(("name", name))
        pos = m.end()
    return out


class Evaluator:
    def __init__(self, ctx, status):
        self.ctx = ctx
        self.status = status  # "success" or "failure": the job's status so far

    def value(self, name):
        funcs = {
            "success()": self.status == "success",
            "failure()": self.status == "failure",
            "always()": True,
            "cancelled()": False,
        }
        if name in funcs:
            return funcs[name]
        if name in ("true", "false"):
            return name == "true"
        parts = name.split(".")
        v = self.ctx
        for p in parts:
            if not isinstance(v, dict):
                raise ExprError(f"{name}: not an object at {p}")
            if parts[0] in ("inputs", "github", "runner", "steps") and p not in v:
                # Unknown properties are empty strings, as on the runner,
                # but only under contexts the emulator models.
                return ""
            if p not in v:
                raise ExprError(f"unknown context {name}")
            v = v[p]
        return v

    def eval(self, text):
        self.toks = tokenize(text)
        self.i = 0
        v = self.or_()
        if self.i != len(self.toks):
            raise ExprError(f"trailing tokens in {text!r}")
        return v

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def or_(self):
        v = self.and_()
        while self.peek() == ("op", "||"):
            self.i += 1
            r = self.and_()
            v = v if truthy(v) else r
        return v

    def and_(self):
        v = self.cmp()
        while self.peek() == ("op", "&&"):
            self.i += 1
            r = self.cmp()
            v = r if truthy(v) else v
        return v

    def cmp(self):
        v = self.unary()
        while self.peek() in (("op", "=="), ("op", "!=")):
            op = self.toks[self.i][1]
            self.i += 1
            r = self.unary()
            eq = str(v).lower() == str(r).lower() if isinstance(v, str) and isinstance(r, str) else v == r
            v = eq if op == "==" else not eq
        return v

    def unary(self):
        kind, tok = self.peek()
        if (kind, tok) == ("op", "!"):
            self.i += 1
            return not truthy(self.unary())
        if (kind, tok) == ("op", "("):
            self.i += 1
            v = self.or_()
            if self.peek() != ("op", ")"):
                raise ExprError("missing )")
            self.i += 1
            return v
        self.i += 1
        if kind == "str":
            return tok
        if kind == "name":
            return self.value(tok)
        raise ExprError(f"unexpected {tok!r}")


def truthy(v):
    return v not in ("", False, None, 0)


def expand(text, ev):
    def repl(m):
        v = ev.eval(m.group(1))
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)

    return re.sub(r"\$\{\{(.*?)\}\}", repl, str(text))


def read_kv_file(path):
    """Reads a GITHUB_OUTPUT/GITHUB_ENV file: name=value and name<<DELIM."""
    out = {}
    with open(path) as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            val = []
            while i < len(lines) and lines[i] != delim:
                val.append(lines[i])
                i += 1
            if i == len(lines):
                raise SystemExit(f"run-action: {path}: no end delimiter {delim!r} for {name}")
            i += 1
            out[name] = "\n".join(val)
        elif "=" in line:
            name, val = line.split("=", 1)
            out[name] = val
        else:
            raise SystemExit(f"run-action: {path}: invalid line {line!r}")
    return out


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    action_dir = os.path.abspath(sys.argv[1])
    with open(os.path.join(action_dir, "action.yml")) as f:
        action = yaml.safe_load(f)
    if action["runs"]["using"] != "composite":
        raise SystemExit("run-action: only composite actions are supported")
    declared = action.get("inputs") or {}
    given = {}
    for arg in sys.argv[2:]:
        name, sep, val = arg.partition("=")
        if not sep:
            raise SystemExit(f"run-action: input {arg!r} is not name=value")
        if name not in declared:
            # The runner warns ("Unexpected input"); a test should not pass one.
            raise SystemExit(f"run-action: the action has no input {name!r}")
        given[name] = val

    workspace = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    temp = os.environ.get("RUNNER_TEMP") or tempfile.mkdtemp()
    env = dict(os.environ, GITHUB_WORKSPACE=workspace, RUNNER_TEMP=temp, GITHUB_ACTION_PATH=action_dir,
               GITHUB_ACTIONS="true", CI="true")
    env.setdefault("GITHUB_STEP_SUMMARY", os.path.join(temp, "step_summary.md"))
    ctx = {
        "inputs": {},
        "github": {
            "action_ref": os.environ.get("GITHUB_ACTION_REF", ""),
            "event_name": os.environ.get("GITHUB_EVENT_NAME", ""),
            "action_path": action_dir,
            "workspace": workspace,
        },
        "runner": {"temp": temp, "os": "Linux"},
        "steps": {},
    }
    ev = Evaluator(ctx, "success")
    for name, spec in declared.items():
        default = (spec or {}).get("default", "")
        ctx["inputs"][name] = given.get(name, expand(default, ev) if default is not None else "")

    status = "success"
    for n, step in enumerate(action["runs"]["steps"]):
        sid = step.get("id", f"__step{n}")
        name = step.get("name", sid)
        ev.status = status
        cond = str(step.get("if", "success()")).strip()
        if cond.startswith("${{") and cond.endswith("}}"):
            cond = cond[3:-2]
        if not re.search(r"\b(success|failure|always|cancelled)\(\)", cond):
            cond = f"success() && ({cond})"
        if not truthy(ev.eval(cond)):
            print(f"::: {name}: skipped", flush=True)
            ctx["steps"][sid] = {"outputs": {}, "outcome": "skipped", "conclusion": "skipped"}
            continue
        if step.get("shell") != "bash" or "run" not in step:
            raise SystemExit(f"run-action: step {name!r}: only run steps with shell: bash are emulated")
        step_env = dict(env)
        for k, v in (step.get("env") or {}).items():
            step_env[k] = expand(v, ev)
        cwd = workspace
        if "working-directory" in step:
            cwd = os.path.join(workspace, expand(step["working-directory"], ev))
        files = {}
        for var in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH"):
            fd, files[var] = tempfile.mkstemp(dir=temp, prefix=var.lower() + "_")
            os.close(fd)
            step_env[var] = files[var]
        fd, script = tempfile.mkstemp(dir=temp, suffix=".sh")
        with os.fdopen(fd, "w") as f:
            f.write(step["run"])
        print(f"::: {name}", flush=True)
        if not os.path.isdir(cwd):
            # The runner fails the step before starting the shell.
            print(f"::error::working-directory {cwd} does not exist", flush=True)
            rc = 1
        else:
            rc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                                cwd=cwd, env=step_env).returncode
        outputs = read_kv_file(files["GITHUB_OUTPUT"])
        for k, v in read_kv_file(files["GITHUB_ENV"]).items():
            env[k] = v
        with open(files["GITHUB_PATH"]) as f:
            for p in reversed([l for l in f.read().split("\n") if l]):
                env["PATH"] = p + os.pathsep + env["PATH"]
        outcome = "success" if rc == 0 else "failure"
        print(f"::: {name}: {outcome} (exit status {rc})", flush=True)
        ctx["steps"][sid] = {"outputs": outputs, "outcome": outcome, "conclusion": outcome}
        if rc != 0:
            status = "failure"

    ev.status = status
    print("outputs:")
    for name, spec in (action.get("outputs") or {}).items():
        print(f"{name}={expand(spec.get('value', ''), ev)}")
    sys.exit(0 if status == "success" else 1)


if __name__ == "__main__":
    try:
        main()
    except ExprError as e:
        raise SystemExit(f"run-action: {e}")
