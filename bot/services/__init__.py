"""Business rules, one module per feature. No discord import here."""
