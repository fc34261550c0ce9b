"""From one article's text to its mentions and (unmerged) events: text and sentences (:mod:`.text`,
:mod:`.spans`), article structure (:mod:`.structure`), the language model's evidence (:mod:`.nlp`),
the shared vocabulary (:mod:`.lexicon`, ``data/``), the per-document time budget (:mod:`.budget`),
then :mod:`.places` and :mod:`.events`. Nothing here reads or writes files but its own data.
"""
