"""What a person looks at: the layered maps (:mod:`.maps`, :mod:`.labels`), the check page
(:mod:`.check`), the situation report (:mod:`.report`, :mod:`.figures`), headless Chromium
(:mod:`.browser`) and the vendored assets and templates (:mod:`.assets`).
"""
