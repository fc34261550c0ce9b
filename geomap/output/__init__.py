"""The output files: events.geojson, mentions.csv, events.csv, the GeoPackage and GeoParquet
(:mod:`.files`), and the validated reading of an events.geojson handed back to geomap
(:mod:`.geojson_in`).
"""
