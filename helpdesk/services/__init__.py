"""Workflows: small functions that take a session and do one multi-step job."""
