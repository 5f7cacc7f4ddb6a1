"""Views of the knowledge app, one module per area."""
