"""Deterministic, believable demo data for Baton (see `data.demo`)."""

from data.demo import DEFAULT_AS_OF, DemoData, generate, summarize
from data.signals import hot_moments, lead_fit

__all__ = ["DEFAULT_AS_OF", "DemoData", "generate", "hot_moments", "lead_fit", "summarize"]
