"""People and roles, the audit log, backups.
Imports db's root modules, db.definitions, db.leads and domain.
"""
