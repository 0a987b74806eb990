#!/usr/bin/env python3
"""Writes agones-lint's release profiles from a checkout of upstream Agones.

    python3 tools/gen-releases.py PATH/TO/agones            # writes schemas/releases.json
    python3 tools/gen-releases.py PATH/TO/agones --check    # exits 1 when the file is stale

PATH/TO/agones is a git clone of agones-dev/agones (formerly googleforgames/agones) with its
release tags; nothing is checked out, every fact is read with `git show TAG:PATH`. The upstream
checkout is not part of this repository: only what this writes is committed.

For each supported minor release (the newest patch tag of 1.50 to 1.60) it records:
- `gates`: pkg/util/runtime/features.go `featureDefaults`, each gate's stage (the comment block it
  sits in: Stable, Beta, Alpha, Dev, Example) and default;
- `kubernetes`: the Kubernetes minor of the Pod template schema the CRDs embed (go.mod's
  k8s.io/api, which the generated `_io.k8s.api.core.v1.PodTemplateSpec.yaml` follows) and the
  supported minors (site/config.toml `supported_k8s`);
- `crd`: facts of the CRD templates under install/helm/agones/templates/crds (the policy types
  the FleetAutoscaler enum allows, the List `maxItems` default from values.yaml);
- `behaviour`: webhook and controller code that differs between releases, each found by a
  probe (a regular expression over one upstream file) listed in PROBES below;
and, for each Kubernetes minor, the Pod template schema's changes against Kubernetes 1.33 (the
base committed in schemas/k8s/podtemplatespec.json, generated from k8s-openapi), as
definition-level edits agones-lint applies when it loads that release.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("gen-releases.py needs PyYAML: pip install pyyaml")

MINORS = range(50, 61)
BASE_KUBERNETES = "1.33"
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "schemas" / "releases.json"
BASE = ROOT / "schemas" / "k8s" / "podtemplatespec.json"
POD_YAML = "install/helm/agones/templates/crds/k8s/_io.k8s.api.core.v1.PodTemplateSpec.yaml"

# name -> (file, pattern, what it means when it matches)
PROBES = {
    "httpsUrlNeedsCaBundle": (
        "pkg/apis/autoscaling/v1/fleetautoscaler.go",
        r'Scheme == "https" && w\.CABundle == nil',
        "an https webhook or Wasm URL without caBundle is refused",
    ),
    "wasmPolicy": (
        "pkg/apis/autoscaling/v1/fleetautoscaler.go",
        r'WasmPolicyType FleetAutoscalerPolicyType = "Wasm"',
        "the Wasm policy type exists",
    ),
    "allocationPlayersSelector": (
        "pkg/apis/allocation/v1/gameserverallocation.go",
        r"Players \*PlayerSelector",
        "GameServerAllocation selectors have a players filter",
    ),
    "portPolicyNoneGated": (
        "pkg/apis/agones/v1/gameserver.go",
        r"!runtime\.FeatureEnabled\(runtime\.FeaturePortPolicyNone\)",
        "portPolicy None is refused while the PortPolicyNone gate is off",
    ),
    "portContainerMayBeSidecar": (
        "pkg/apis/agones/v1/gameserver.go",
        r"HasContainer\(\*p\.Container, true\)",
        "ports[].container may name an init container with restartPolicy Always",
    ),
    "initContainerResourcesValidated": (
        "pkg/apis/agones/v1/gameserver.go",
        r"range gss\.Template\.Spec\.InitContainers \{\s*\n\s*path := fldPath\.Child\(\"template\", \"spec\", \"initContainers\"\)",
        "init containers' resource requests and limits are validated",
    ),
    "sdkSidecarFirstInitContainer": (
        "pkg/apis/agones/v1/gameserver.go",
        r"slices\.Concat\(sidecars, pod\.Spec\.InitContainers\)",
        "the SDK sidecar is placed before the template's init containers",
    ),
    "autopilotPassthroughGated": (
        "pkg/apis/agones/v1/gameserver.go",
        r"FeatureEnabled\(runtime\.FeatureAutopilotPassthroughPort\) && p\.PortPolicy == Passthrough",
        "the AutopilotPassthroughPort gate decides how Passthrough ports are built",
    ),
    "httpClientPerAutoscaler": (
        "pkg/fleetautoscalers/fleetautoscalers.go",
        r"state\.httpClient == nil",
        "each FleetAutoscaler has one HTTP client, set up from the first URL it calls",
    ),
}


def git(repo, *args, found_nothing_ok=False):
    run = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if run.returncode == 1 and found_nothing_ok:
        return ""
    if run.returncode != 0:
        sys.exit(f"git {' '.join(args)}: {run.stderr.strip()}")
    return run.stdout


def show(repo, tag, path):
    return git(repo, "show", f"{tag}:{path}")


def newest_tags(repo):
    tags = {}
    for t in git(repo, "tag", "--list", "v1.*").split():
        m = re.fullmatch(r"v1\.(\d+)\.(\d+)", t)
        if m and int(m.group(1)) in MINORS:
            minor, patch = int(m.group(1)), int(m.group(2))
            if patch >= tags.get(minor, (-1, ""))[0]:
                tags[minor] = (patch, t)
    missing = [m for m in MINORS if m not in tags]
    if missing:
        sys.exit(f"no release tag for 1.{missing[0]} in the checkout (fetch its tags)")
    return {m: tags[m][1] for m in MINORS}


def gates(repo, tag):
    src = show(repo, tag, "pkg/util/runtime/features.go")
    names = dict(re.findall(r"^\s*(Feature\w+)\s*(?:Feature\s*)?=\s*\"(\w+)\"", src, re.M))
    block = re.search(r"featureDefaults = map\[Feature\]bool\{(.*?)\n\t\}", src, re.S)
    if not block:
        sys.exit(f"{tag}: featureDefaults not found in features.go")
    stage, out = None, []
    for line in block.group(1).splitlines():
        line = line.strip()
        m = re.match(r"// (Stable|Beta|Alpha|Dev|Example) feature", line)
        if m:
            stage = m.group(1)
            continue
        m = re.match(r"(Feature\w+):\s*(true|false),", line)
        if m:
            if m.group(1) not in names:
                sys.exit(f"{tag}: no name for {m.group(1)}")
            out.append({"name": names[m.group(1)], "stage": stage, "default": m.group(2) == "true"})
    return sorted(out, key=lambda g: g["name"])


def stable_gates_unused(repo, tag, gate_list):
    """Stable gates are folded to true: the code no longer reads them. Checked, not assumed."""
    for g in gate_list:
        if g["stage"] != "Stable":
            continue
        hits = git(repo, "grep", "-l", "-F", f"FeatureEnabled(runtime.Feature{g['name']})", tag,
                   "--", "pkg", "cmd", ":!*_test.go", found_nothing_ok=True)
        hits = [h for h in hits.split() if h]
        if hits:
            sys.exit(f"{tag}: Stable gate {g['name']} is still read by {hits}; model it as a Beta gate")


def kubernetes(repo, tag):
    gomod = show(repo, tag, "go.mod")
    m = re.search(r"^\s*k8s\.io/api v0\.(\d+)\.", gomod, re.M)
    config = show(repo, tag, "site/config.toml")
    sup = re.search(r"^supported_k8s\s*=\s*\[([^\]]*)\]", config, re.M)
    return {
        "podSchema": f"1.{m.group(1)}",
        "supported": re.findall(r'"([\d.]+)"', sup.group(1)),
    }


def crd_facts(repo, tag):
    policy = show(repo, tag, "install/helm/agones/templates/crds/_fleetautoscalerpolicy.yaml")
    enum = re.search(r"type:\s*\n\s*type: string\s*\n\s*enum:\s*\n((?:\s*- \w+\s*\n|\s*\{\{.*\n)+)", policy)
    if not enum:
        sys.exit(f"{tag}: the policy type enum is not where it was")
    types, gated, condition = [], {}, None
    for line in enum.group(1).splitlines():
        cond = re.search(r"\{\{-? if \.(\w+) \}\}", line)
        if cond:
            condition = cond.group(1)
        elif "end" in line and "{{" in line:
            condition = None
        else:
            m = re.search(r"- (\w+)", line)
            if m:
                types.append(m.group(1))
                if condition:
                    gated[m.group(1)] = condition
    # The CRD template passes a feature gate for each condition (`"includeSchedulePolicy"
    # $featureGates.ScheduledAutoscaler`): the type is in the enum only while the gate is on.
    crd = show(repo, tag, "install/helm/agones/templates/crds/fleetautoscaler.yaml")
    for name, cond in gated.items():
        m = re.search(r'"%s" \$featureGates\.(\w+)' % cond, crd)
        if not m:
            sys.exit(f"{tag}: no feature gate decides {cond}")
        gated[name] = m.group(1)
    values = yaml.safe_load(show(repo, tag, "install/helm/agones/values.yaml"))
    lists = (values.get("gameservers") or {}).get("lists") or {}
    return {"policyTypes": types, "policyTypeGates": gated, "listsMaxItems": lists.get("maxItems", 1000)}


def behaviour(repo, tag):
    out = {}
    for name, (path, pattern, _) in PROBES.items():
        out[name] = re.search(pattern, show(repo, tag, path)) is not None
    return out


# ---- the Pod template schema, per Kubernetes minor, as edits of the committed base ----

def pod_yaml(repo, tag):
    text = re.sub(r"^\{\{.*\}\}\s*$", "", show(repo, tag, POD_YAML), flags=re.M)
    return yaml.safe_load(text)


def shape(schema):
    """What the base's generator does to k8s-openapi's schema (podtemplate.rs `shape`): objects
    closed, int-or-string as a type union, Kubernetes extensions dropped."""
    if isinstance(schema, list):
        return [shape(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    s = {}
    for k, v in schema.items():
        if k.startswith("x-kubernetes-") or k == "nullable":
            continue
        if k == "properties":
            s[k] = {p: shape(c) for p, c in v.items()}
        elif k in ("enum", "required", "description"):
            s[k] = v
        else:
            s[k] = shape(v)
    if schema.get("x-kubernetes-int-or-string"):
        s["type"] = ["integer", "string"]
    if "properties" in s and "additionalProperties" not in s:
        s["additionalProperties"] = False
    return s


class Delta:
    """Edits that turn the base into another minor's schema, keyed by the definition they touch,
    so that a definition reached by several paths (containers, initContainers) is edited once."""

    def __init__(self, defs):
        self.defs = defs
        self.edits = {}

    def resolve(self, schema, owner, pointer):
        for _ in range(16):
            ref = schema.get("$ref", "") if isinstance(schema, dict) else ""
            if not ref.startswith("#/$defs/"):
                break
            owner, pointer = ref[len("#/$defs/"):], ""
            schema = self.defs[owner]
        return schema, owner, pointer

    def put(self, owner, pointer, op, value):
        key = (owner, pointer, op)
        if key in self.edits and self.edits[key] != value:
            sys.exit(f"conflicting edits of {owner}{pointer} ({op})")
        self.edits[key] = value

    def walk(self, up, base, owner, pointer, depth=0):
        base, owner, pointer = self.resolve(base, owner, pointer)
        if depth > 60 or not isinstance(up, dict):
            return
        up_enum, base_enum = up.get("enum"), base.get("enum")
        if up_enum is not None and sorted(up_enum) != sorted(base_enum or []):
            self.put(owner, pointer, "enum", sorted(up_enum))
        if up_enum is None and base_enum is not None:
            self.put(owner, pointer, "enum", None)
        up_props, base_props = up.get("properties") or {}, base.get("properties") or {}
        for name, child in up_props.items():
            if name in base_props:
                self.walk(child, base_props[name], owner, f"{pointer}/properties/{name}", depth + 1)
            else:
                self.put(owner, f"{pointer}/properties/{name}", "add", shape(child))
        for name in base_props:
            if name not in up_props and up_props:
                self.put(owner, f"{pointer}/properties/{name}", "remove", True)
        if "required" in up or "required" in base:
            # The base's own required list stands for Go's always-encoded fields too; only
            # names the CRD adds or drops between minors are edits.
            pass
        for key in ("items", "additionalProperties"):
            if isinstance(up.get(key), dict) and isinstance(base.get(key), dict):
                self.walk(up[key], base[key], owner, f"{pointer}/{key}", depth + 1)

    def as_list(self):
        return [
            {"definition": o, "pointer": p, "op": op, **({} if op == "remove" else {"value": v})}
            for (o, p, op), v in sorted(self.edits.items(), key=lambda e: (e[0][0], e[0][1], e[0][2]))
        ]


def semantic(schema):
    """A schema without its descriptions, to tell whether two tags embed the same Pod schema."""
    if isinstance(schema, dict):
        return {k: semantic(v) for k, v in schema.items() if k != "description"}
    if isinstance(schema, list):
        return [semantic(s) for s in schema]
    return schema


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    repo = Path(args[0])
    tags = newest_tags(repo)
    base_defs = json.loads(BASE.read_text())["$defs"]
    releases, pod_by_minor = [], {}
    for minor, tag in tags.items():
        g = gates(repo, tag)
        stable_gates_unused(repo, tag, g)
        k = kubernetes(repo, tag)
        schema = pod_yaml(repo, tag)
        seen = pod_by_minor.setdefault(k["podSchema"], (tag, schema))
        if semantic(seen[1]) != semantic(schema):
            sys.exit(f"{tag} and {seen[0]} embed different Pod schemas for Kubernetes {k['podSchema']}")
        releases.append({
            "version": f"1.{minor}",
            "tag": tag,
            "date": git(repo, "log", "-1", "--format=%cs", tag).strip(),
            "kubernetes": k,
            "gates": g,
            "crd": crd_facts(repo, tag),
            "behaviour": behaviour(repo, tag),
        })
    if BASE_KUBERNETES not in pod_by_minor:
        sys.exit(f"no release embeds Kubernetes {BASE_KUBERNETES}, the base's minor")
    base_up = pod_by_minor[BASE_KUBERNETES][1]
    pod = {}
    for minor, (tag, schema) in sorted(pod_by_minor.items()):
        if minor == BASE_KUBERNETES:
            pod[minor] = []
            continue
        d = Delta(base_defs)
        # Edits are measured between the CRDs' own schemas, so that what k8s-openapi and the CRD
        # generator disagree on (required names, formats) is not mistaken for a change between minors.
        diff_base = Delta(base_defs)
        diff_base.walk(base_up, {"$ref": "#/$defs/io.k8s.api.core.v1.PodTemplateSpec"}, "", "")
        d.walk(schema, {"$ref": "#/$defs/io.k8s.api.core.v1.PodTemplateSpec"}, "", "")
        same = {k: v for k, v in diff_base.edits.items()}
        d.edits = {k: v for k, v in d.edits.items() if same.get(k, object()) != v}
        for k, v in same.items():
            if k not in d.edits and k[2] == "add":
                d.edits[(k[0], k[1], "remove")] = True
        pod[minor] = d.as_list()
    out = {
        "$comment": "Generated by tools/gen-releases.py from the release tags of agones-dev/agones; do not edit.",
        "probes": {n: m for n, (_, _, m) in PROBES.items()},
        "releases": releases,
        "podSchemaChanges": pod,
    }
    text = json.dumps(out, indent=1, sort_keys=False) + "\n"
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            sys.exit(f"{OUT} is stale: run tools/gen-releases.py {repo}")
        return
    OUT.write_text(text)
    print(f"wrote {OUT}: {len(releases)} releases, Pod schemas for {', '.join(sorted(pod))}")


if __name__ == "__main__":
    main()
