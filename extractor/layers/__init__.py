"""Mention layers: spaCy components that each write one kind of span into the doc."""
