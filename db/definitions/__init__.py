"""Shared definitions: published versions, the draft, meeting inputs, restores.
Imports db's root modules (engine, models, convert, errors, meta_repo) and domain.
"""
