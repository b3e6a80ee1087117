"""Reads of consultation rounds used by other apps."""
