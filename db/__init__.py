"""Persistence adapter: settings, engine, models, migrations and repository functions.

Only this package builds queries. Callers get pandas frames or domain values, never ORM
rows; see `db.repository` for the public functions.
"""
