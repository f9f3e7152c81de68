"""The Bilan tab: the year's figures of every domain beside the previous year's, their charts,
the free texts, the "Rapport d'activité" PDF and workbook."""
