"""Tools for people who write rule sets: analyze, diff, lint, embedded tests, the answer space."""
