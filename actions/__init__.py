"""Halo Warga custom actions for the Rasa engine.

The action server (`python -m rasa_sdk --actions actions`) imports every module of this
package and registers each `Action` subclass. Nothing here touches the network at import
time: the helpdesk client is built lazily from `ActionSettings` on first use.
"""
