"""Persistence adapter: settings, engines, models, migrations and shared helpers at the root;
repository functions in one package per feature (definitions, follow_up, importing, leads,
scoring, admin).

Only this package builds queries. Callers get pandas frames or domain values, never ORM
rows; see `db.repository` for the public functions.
"""
