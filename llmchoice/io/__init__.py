"""Input and output plumbing shared by every room: the YAML reader, atomic writes, text safety,
errors and the one field checker.
"""
