"""Site-wide search: a pure query parser, a Tantivy index outside the database, and the
selector (``kb.search.selectors.search_query``) and services (``kb.search.service``) around it."""
