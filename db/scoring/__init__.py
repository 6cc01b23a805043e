"""The engine's model built from the database, its slow inputs and the scored model
kept on disk. Imports db's root modules, db.leads and domain.
"""
