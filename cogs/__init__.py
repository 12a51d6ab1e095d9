"""Thin Discord adapters, one per feature: parse, call a service, render."""
