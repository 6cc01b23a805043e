"""People and roles, the audit log, backups.
Imports db's root modules and domain.
"""
