"""Pure helpers shared by every layer: no models, no request objects."""
