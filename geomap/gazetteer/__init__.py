"""The offline gazetteer: building it from the reference sources (:mod:`.build`, :mod:`.sources`),
name folding (:mod:`.names`), loading and lookup (:mod:`.store`), validation and statistics
(:mod:`.validate`) and the opt-in, cached online geocoder (:mod:`.geocoder`).
"""
