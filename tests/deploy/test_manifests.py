"""The deployment files stay valid: Kubernetes manifests against the API schemas, compose against the code."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import yaml

from deploy.local_platform import REPO_ROOT

K8S = REPO_ROOT / "deploy" / "k8s"


def test_kubernetes_manifests_validate_strictly() -> None:
    manifests = sorted(str(p) for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
    tool = Path(sys.executable).parent / "kubernetes-validate"
    result = subprocess.run([str(tool), "--strict", *manifests], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(Path(m).name for m in manifests)


def _module_exists(command: list[str]) -> bool:
    assert command[:2] == ["python", "-m"]
    return importlib.util.find_spec(command[2]) is not None


def test_compose_and_manifests_start_real_service_modules() -> None:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    commands = [s["command"] for name, s in compose["services"].items() if name != "nats"]
    for doc in yaml.safe_load_all((K8S / "workers.yaml").read_text()):
        commands += [c["command"] for c in doc["spec"]["template"]["spec"]["containers"]]
    assert commands
    for command in commands:
        assert _module_exists(command), command
    assert {"gateway", "agent", "tools", "stt", "tts", "analytics", "nats"} <= set(compose["services"])
