"""Reliability and security: crash, fault and bad-input tests (issue 8)."""
