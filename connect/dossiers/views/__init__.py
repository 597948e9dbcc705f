"""Dossier views: the home list (listing.py). The dossier page is messaging's
(connect/messaging/dossier_page.py): it shows what was asked through messaging."""
