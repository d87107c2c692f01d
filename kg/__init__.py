"""regionkg: a knowledge graph of Chinese regional development strategies from news articles."""

__version__ = "0.1.0"
