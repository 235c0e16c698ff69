"""The console channel: try Tigerbird in a terminal, no token needed."""

from adapters.console.adapter import ConsoleAdapter, build

__all__ = ["ConsoleAdapter", "build"]
