"""Decision records: the machine-readable part of an ADR, and revisiting it later."""
