"""Discord adapter tests and the loopback fake Discord they run against."""
