"""Decisions made by teams: several people's answers merged into one recommendation.

:mod:`.people` reads one answers file per person (each checked on its own, as
``recommend`` would); :mod:`.merge` merges them by the documented rule (the answer most
people gave; a tie means the team has not decided that question; a hard requirement from
anyone binds everyone); :mod:`.analysis` weighs the merged answers, each person's own and
every disagreement alone with the engine, and names the disagreements to settle first.
Nothing here scores: the engine (:mod:`llmchoice.decide.engine`) does.
"""
