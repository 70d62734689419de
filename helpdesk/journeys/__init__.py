"""Citizen journeys the helpdesk runs itself, beside the bot engine.

The complaint form, the identity check of a status lookup, the offer of updates, opting
out, data-subject requests (erasure, access), help and the consent notice are deterministic
dialogues: they run here, in the router's process, as a small state machine stored on the
conversation (`Conversation.journey`), and never reach the engine. The engine still decides
when a complaint or a status lookup starts (the `file_complaint` and `check_status`
intents); its actions arm the journey through the REST API.

`helpdesk.journeys.engine` holds `Journeys` and `JourneyReply`; this package imports nothing.
"""
