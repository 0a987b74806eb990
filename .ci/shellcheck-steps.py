"""Runs shellcheck on every bash `run:` step of the workflows and actions given, as actionlint
does natively: `${{ ... }}` expressions become a plain word first."""
import re
import subprocess
import sys
import tempfile

from ruamel.yaml import YAML


def steps(doc):
    for job in (doc.get("jobs") or {}).values():
        yield from job.get("steps") or []
    yield from (doc.get("runs") or {}).get("steps") or []


failed = False
for path in sys.argv[1:]:
    doc = YAML(typ="safe").load(open(path))
    for step in steps(doc):
        script = step.get("run")
        if script is None or step.get("shell", "bash") != "bash":
            continue
        script = re.sub(r"\$\{\{.*?\}\}", "GHA_EXPRESSION", script)
        with tempfile.NamedTemporaryFile("w", suffix=".sh") as f:
            f.write(script)
            f.flush()
            result = subprocess.run(["shellcheck", "-s", "bash", f.name], capture_output=True, text=True)
        if result.returncode != 0:
            failed = True
            name = step.get("name") or step.get("id") or script.splitlines()[0]
            print(f"{path}: step {name!r}:\n{result.stdout}")
    print(f"shellcheck: the run steps of {path} checked")
sys.exit(1 if failed else 0)
