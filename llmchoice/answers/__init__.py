"""Answers: checking and coercing them against a rule set, reading answers files, showing an answer
to people, the template.
"""
