"""Slack adapter tests and the loopback fake Slack they run against."""
