"""Dialogue policies of our own, beside Rasa's RulePolicy and MemoizationPolicy."""
