"""The definitions workspace: the draft editor, conflicts, history, impact and sign-off.
Imports gateways, domain and components.common / components.shell; never db.
"""
