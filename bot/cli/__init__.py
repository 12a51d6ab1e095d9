"""Command-line tools for teachers and operators (`python -m bot …`)."""
