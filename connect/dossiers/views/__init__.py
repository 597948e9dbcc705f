"""Dossier views: the home list (listing.py) and the dossier page (detail.py)."""
