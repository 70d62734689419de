"""deploy/ (compose, Kubernetes) stays consistent with the local stack and .env.example.

Same processes, same commands (flags and subcommands; paths, hosts and ports may differ),
the same setting names; an autoscaler for the engine and the web processes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from helpdesk.runtime.scaled import DEFAULT_PORTS, ScaledStack
from helpdesk.runtime.stack import Stack, StackConfig

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# local process name -> compose service / Kubernetes container name
PROCESSES = {"rasa": "engine", "actions": "actions", "helpdesk": "web", "worker": "worker"}
KEEP_VALUE_OF = {"-m", "--actions"}


def env_example_keys() -> set[str]:
    return set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))


def shape(command: list[str]) -> list[str]:
    """A command without paths, hosts and ports: program name, subcommands, flags."""
    out = [Path(command[0]).name]
    if len(command) > 1 and command[1].endswith(".py"):
        out.append(Path(command[1]).name)  # a script: its name, wherever it lives
        command = command[1:]
    previous = ""
    for token in command[1:]:
        if previous.startswith("-") and not token.startswith("-"):
            out.append(token if previous in KEEP_VALUE_OF else "*")
        else:
            out.append(token)
        previous = token
    return out


def local_commands() -> dict[str, list[str]]:
    config = StackConfig(var_dir=ROOT / "var", database_url="sqlite://", model=Path("m.tar.gz"))
    return {n: shape(c) for n, c in Stack(config, "t").commands().items() if n in PROCESSES}


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def k8s_documents() -> list[dict[str, Any]]:
    return [
        doc
        for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    ]


def k8s_containers() -> dict[str, dict[str, Any]]:
    return {
        container["name"]: container
        for doc in k8s_documents()
        if doc["kind"] == "Deployment"
        for container in doc["spec"]["template"]["spec"]["containers"]
    }


def test_compose_runs_the_local_commands() -> None:
    services = compose()["services"]
    for local, command in local_commands().items():
        assert shape(services[PROCESSES[local]]["command"]) == command, local


def test_kubernetes_runs_the_local_commands() -> None:
    containers = k8s_containers()
    for local, command in local_commands().items():
        assert shape(containers[PROCESSES[local]]["command"]) == command, local


def test_the_scaled_local_stack_runs_the_same_commands() -> None:
    config = StackConfig(
        var_dir=ROOT / "var", database_url="sqlite://", model=Path("m.tar.gz"), workers=2
    )
    scaled = ScaledStack(config, "t", ports=DEFAULT_PORTS, redis_url="redis://x", tracker_db="t")
    commands = {n: shape(c) for n, c in scaled.commands().items()}
    local = local_commands()
    assert commands["rasa-1"] == commands["rasa-2"] == local["rasa"]
    assert commands["web-1"] == commands["web-2"] == local["helpdesk"]
    assert commands["worker"] == commands["worker-2"] == local["worker"]
    assert commands["actions"] == local["actions"]


def test_configuration_uses_the_names_of_env_example() -> None:
    documented = env_example_keys()
    config = {doc["kind"]: doc for doc in k8s_documents() if doc["kind"] in ("ConfigMap", "Secret")}
    configured = set(config["ConfigMap"]["data"]) | set(config["Secret"]["stringData"])
    assert configured == documented, "run scripts/k8s_config.py after changing .env.example"
    assert not set(config["ConfigMap"]["data"]) & set(config["Secret"]["stringData"])
    for name, service in compose()["services"].items():
        if name in ("postgres", "redis", "nginx"):
            continue
        assert service.get("env_file") == ["../.env.example"], name
        assert set(service.get("environment") or {}) <= documented, name
    endpoints = set(re.findall(r"\$\{([A-Z_]+)\}", (DEPLOY / "endpoints.yml").read_text()))
    assert endpoints and endpoints <= documented


@pytest.mark.parametrize("target", ["engine", "web"])
def test_engine_and_web_have_an_autoscaler_and_a_service(target: str) -> None:
    docs = k8s_documents()
    hpas = [d for d in docs if d["kind"] == "HorizontalPodAutoscaler"]
    assert target in [h["spec"]["scaleTargetRef"]["name"] for h in hpas]
    services = {d["metadata"]["name"] for d in docs if d["kind"] == "Service"}
    assert {"engine", "web", "actions"} <= services
