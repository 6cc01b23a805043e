"""What every page stands on: the cached state, the sidebar, who is at the keyboard.
Imports gateways, domain and components.common; never db.
"""
