"""The fitted model: its stages and members, char n-grams, persistence and trust."""
