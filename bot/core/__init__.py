"""The neutral core: the domain's plain dataclasses, the ports every other package talks
through, the records storage takes and returns, what a chat invocation is, the one authorization
decision, and making member text safe to post. It imports nothing of the rest of Tigerbird and
no SDK, driver or ORM."""
