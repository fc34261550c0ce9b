"""Scoring against gold annotations: matching (:mod:`.match`), scores (:mod:`.score`), attributes
(:mod:`.attrs`), comparisons of two runs (:mod:`.compare`), checks against the dev set's labels
(:mod:`.labels`), tables (:mod:`.tables`) and docs/EVALUATION.md (:mod:`.report`).
"""
