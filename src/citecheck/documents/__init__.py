"""One reader per input format: a document becomes notes, markers and their context."""
