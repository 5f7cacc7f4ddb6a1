"""Forms of the knowledge app, one module per area. They parse input; services validate content."""
