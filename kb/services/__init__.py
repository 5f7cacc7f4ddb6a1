"""Writes to the knowledge layer, and work that spans papers and kb."""
