"""Place mentions: candidate spans (:mod:`.spotting`), scoring in context (:mod:`.resolve`), roles
(:mod:`.roles`), analyst corrections (:mod:`.corrections`), and the whole step (:mod:`.mentions`).
"""
