"""The Data page: uploads, column mappings, imports, value checks, exports and resets.
Imports gateways, domain and components.common / components.shell; never db.
"""
