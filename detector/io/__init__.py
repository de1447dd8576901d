"""Reading: bytes, files by kind, JSON Lines; writing outputs safely; a run's lifecycle."""
