"""geomap: news reports of the Syrian war -> dated, placed, merged events and offline maps."""

__version__ = "0.1.0"
