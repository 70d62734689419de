"""Citizen-text library: what the action server imports from helpdesk (no Flask, no SQL)."""
