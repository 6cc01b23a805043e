"""Data-driven suggestions for the shared definition: weights (rules) and thresholds.
Imports domain.engine, domain.definitions, domain.calibration and domain.common.

`suggest` fits a regularised logistic regression on the stored leads with known outcomes
and turns it into a readable points definition; see `domain.suggest.suggestion` for the
method. `leakage_suspects` and `candidate_attributes` feed the exclusion picker.
"""

from domain.suggest.features import candidate_attributes, default_exclusions
from domain.suggest.leakage import Leak, find_leaks, leakage_suspects
from domain.suggest.result import Suggestion
from domain.suggest.rules import SuggestedRule
from domain.suggest.suggestion import SuggestionError, prepare, suggest

__all__ = [
    "Leak",
    "find_leaks",
    "SuggestedRule",
    "Suggestion",
    "SuggestionError",
    "candidate_attributes",
    "default_exclusions",
    "leakage_suspects",
    "prepare",
    "suggest",
]
