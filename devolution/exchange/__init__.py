"""Exchanging the registry with operators' spreadsheets: one engine for every table.

Each app registers its tables (departments, items, cancelled, seals, handovers) in its
AppConfig.ready; the admin and the management commands both call `preview` and `commit` here.
"""
