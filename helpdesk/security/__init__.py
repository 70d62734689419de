"""Security operations outside the web layer: alerts, key rotation, retention, breach reports."""
