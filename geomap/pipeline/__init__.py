"""Running extraction over a corpus: reading it (:mod:`.corpus`), the per-document run, cache and
merge (:mod:`.run`), the data-only cache format (:mod:`.codec`), the streaming store
(:mod:`.store`) and the Dask engine (:mod:`.dask_engine`).
"""
