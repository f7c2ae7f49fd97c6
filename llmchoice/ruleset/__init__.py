"""The rule set: its model (frozen data), conditions, the loader that checks it and resolves
overlays, and its JSON Schema.
"""
