"""Command-line commands beyond the core ones; each module has ``register(app)``."""
