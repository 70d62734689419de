"""Telegram: webhook blueprint, Bot API adapter and a development poller."""
