"""Synthetic photos of text, as a phone would send them (connect/readings/corpus.py)."""

from connect.readings.corpus import text_photo as photo

__all__ = ["photo"]
