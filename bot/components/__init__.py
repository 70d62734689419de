"""Custom NLU components of the Halo Warga engine (loaded by `rasa` from the repository
root, or /app in the engine image, as `bot.components.<module>`)."""
