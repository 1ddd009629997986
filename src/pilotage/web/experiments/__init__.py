"""Test & Learn: the registry of pilots, their results, verdicts and decisions."""
