"""trustlint: a linter for what erodes a customer's trust."""

from __future__ import annotations

__version__ = "0.1.0"

from trustlint.model import Finding as Finding
from trustlint.model import Report as Report
from trustlint.model import RuleMeta as RuleMeta
from trustlint.model import Severity as Severity
from trustlint.model import TextRange as TextRange
from trustlint.registry import Rule as Rule
from trustlint.registry import RuleContext as RuleContext
from trustlint.registry import rule as rule
