"""The lead data: leads and their custom attributes, the activity log, what sales recorded.
Imports db's root modules and domain.
"""
