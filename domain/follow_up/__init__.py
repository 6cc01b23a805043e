"""The follow-up queue, the SLA, lead actions and their history, one lead in detail.
Imports domain.engine, domain.definitions and domain.common.
"""
