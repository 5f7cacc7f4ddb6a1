"""Template tags and filters of the knowledge app."""
