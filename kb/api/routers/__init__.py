"""One router per resource of the read API (mounted by ``kb.api.main``)."""
