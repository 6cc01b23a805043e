"""CSV imports in one transaction, their staged writes and saved mappings, value fixes.
Imports db's root modules, db.leads and domain.
"""
