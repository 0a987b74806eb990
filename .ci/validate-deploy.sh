#!/usr/bin/env bash
# Validates deploy/ offline: the Kubernetes objects strictly against the Kubernetes schemas
# (kubernetes-validate from PyPI). kubernetes-validate has no schemas for cert-manager's CRDs,
# so cert-manager.yaml is checked for well-formedness and the fields the webhook relies on.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q kubernetes-validate pyyaml >/dev/null 2>&1 || pip install -q kubernetes-validate pyyaml
kubernetes-validate --strict --quiet deploy/webhook.yaml
python3 - <<'PY'
import yaml
docs = list(yaml.safe_load_all(open("deploy/cert-manager.yaml")))
kinds = {d["kind"]: d for d in docs}
assert set(kinds) == {"Issuer", "Certificate"}, kinds.keys()
cert = kinds["Certificate"]["spec"]
assert cert["secretName"] == "agones-lint-webhook-tls"
assert "agones-lint-webhook.agones-lint.svc" in cert["dnsNames"]
webhook = [d for d in yaml.safe_load_all(open("deploy/webhook.yaml")) if d["kind"] == "ValidatingWebhookConfiguration"][0]
assert webhook["metadata"]["annotations"]["cert-manager.io/inject-ca-from"] == "agones-lint/agones-lint-webhook"
print("deploy/: webhook.yaml valid (strict), cert-manager.yaml consistent with it")
PY
