"""Catalog modules, one per feature: each defines MESSAGES."""
