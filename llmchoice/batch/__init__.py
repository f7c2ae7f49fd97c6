"""Scoring many answer sets from JSONL or CSV, streaming."""
