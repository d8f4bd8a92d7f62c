"""Imports every rule module; each registers its rules with ``validators.base.register``."""

from validators import cross, form_rules, batch_rules  # noqa: F401
