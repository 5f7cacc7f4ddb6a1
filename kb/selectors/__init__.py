"""Reads of the knowledge layer that assemble pages, one module per area."""
