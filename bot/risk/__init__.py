"""Deterministic risk screen: clinician-edited rules (content/risk/*.yml) matched before any answer."""

from bot.risk.matcher import RiskHit, RiskScreen
from bot.risk.rules import RiskCategory, RiskRule, RiskRulesError, load_rules

__all__ = ["RiskCategory", "RiskHit", "RiskRule", "RiskRulesError", "RiskScreen", "load_rules"]
