"""Lead actions (touch, accept, qualify, ...), the rows they share, and their undo.
Imports db's root modules, db.leads and domain.
"""
