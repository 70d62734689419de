"""Regenerate deploy/k8s/configmap.yaml and secret.example.yaml from .env.example.

Run after adding a setting: `.venv/bin/python scripts/k8s_config.py` (tests/unit/test_deploy.py
checks that the two files hold exactly the settings of .env.example).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = re.compile(r"(SECRET|TOKEN|PASSWORD|_KEYS?$)")
CLUSTER = {
    "HELPDESK_HOST": "0.0.0.0",
    "HELPDESK_INTERNAL_PORT": "8001",
    "DATABASE_URL": "postgresql+psycopg://halowarga@postgres:5432/halowarga",
    "REDIS_URL": "redis://redis:6379/0",
    "RASA_URL": "http://engine:5005",
    "ACTION_SERVER_URL": "http://actions:5055/webhook",
    "HELPDESK_URL": "http://127.0.0.1:8001",
    "RASA_TRACKER_HOST": "postgres",
    "RASA_TRACKER_DB": "halowarga_tracker",
    "RASA_TRACKER_USER": "halowarga",
    "RASA_LOCK_STORE_HOST": "redis",
}


def main() -> None:
    pairs = re.findall(r"^([A-Z_]+)=(.*)$", (ROOT / ".env.example").read_text(), re.M)
    config = [
        "# Every setting of .env.example (written by scripts/k8s_config.py, checked by a test);",
        "# values for the cluster. Secrets go in the halo-warga-secrets Secret.",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: halo-warga-config",
        "data:",
    ]
    secret = [
        "# Example only: create it with real values (kubectl create secret generic ...).",
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        "  name: halo-warga-secrets",
        "type: Opaque",
        "stringData:",
    ]
    for key, value in pairs:
        if SECRET.search(key):
            secret.append(f'  {key}: ""')
        else:
            value = CLUSTER.get(key, value).replace('"', '\\"')
            config.append(f'  {key}: "{value}"')
    (ROOT / "deploy/k8s/configmap.yaml").write_text("\n".join(config) + "\n")
    (ROOT / "deploy/k8s/secret.example.yaml").write_text("\n".join(secret) + "\n")


if __name__ == "__main__":
    main()
