"""Peer-support bot for distance learners: wiring, settings and services."""
