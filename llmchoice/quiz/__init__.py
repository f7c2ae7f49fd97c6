"""The interactive quiz: the flow (pure, over an injected asker) and the questionary prompts
(imported lazily).
"""
