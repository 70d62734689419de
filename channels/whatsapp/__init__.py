"""WhatsApp Cloud API: webhook blueprint, signature check and adapter."""
