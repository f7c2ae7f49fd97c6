"""Deciding: the one decision rule, the engine, the fast evaluator for many answer sets, the
explanation, the Result.
"""
