"""Recording what members do with a post: reactions, replies and activity, idempotently, in group
commits (the batcher), with catch-up after a restart, and the pseudonymous member keys that keep
raw member ids out of storage."""
