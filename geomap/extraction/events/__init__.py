"""Events: dates (:mod:`.dates`, :mod:`.event_dates`), tolls and shares (:mod:`.tolls`), one
event per happening and place (:mod:`.extract`), and merging reports of the same event across
articles (:mod:`.merge`).
"""
