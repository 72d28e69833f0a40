"""The newest schema revision, in a module of its own so that checking it imports nothing heavy."""

HEAD_REVISION = "0004"
