"""Portals that misbehave, for the supervisor's tests (loaded through ``settings``)."""
