"""Citizen channels (web chat, Telegram, WhatsApp) and the router that decides who answers."""
