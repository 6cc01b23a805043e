"""Who may do what (roles, sign-off rules) and the audit log as people read it.
Imports the standard library, pandas and domain.common.
"""
