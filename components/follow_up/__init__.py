"""The follow-up queue and lead pages: the queue, lead actions and their forms, one lead.
Imports gateways, domain and components.common / components.shell; never db.
"""
