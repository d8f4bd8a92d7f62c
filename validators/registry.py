"""Imports every rule module; each registers its rules with ``validators.base.register``."""

from validators import batch_rules, cross, form_rules  # noqa: F401
