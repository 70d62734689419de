"""Conversation core: the router (who answers), the turn pool and the engine client."""
