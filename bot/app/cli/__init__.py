"""The `tigerbird` command line."""
