"""The cost estimate: API against self-hosting, and its assumptions file."""
