"""llmchoice: decide between open-source, closed-source or hybrid LLMs.

The core (rule set, answers, engine, reports) is plain Python with no
command-line or terminal dependencies; :mod:`llmchoice.cli` wraps it.
"""

__version__ = "0.1.0"
