"""Posting exactly once per slot: claiming due slots as rows in claim batches, posting them through
the platform port, resolving leftovers after a crash, and pacing requests under a platform's
global rate limit."""
