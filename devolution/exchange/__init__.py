"""Exchanging the registry with operators' spreadsheets: one engine for every kind of record.

Each app registers its kinds (departments, items, cancelled, seals, handovers) in its
AppConfig.ready; the admin and the management commands both call `preview` and `commit` here.
"""
