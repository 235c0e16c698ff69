"""Hand-written fakes for tests: in-memory store, transcript-recording platform, clock."""
