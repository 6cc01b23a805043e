"""The definitions workspace: the draft editor, conflicts, history, impact and sign-off.
Imports gateways, domain, components.common, .shell and .funnel (a funnel chart); never db.
"""
