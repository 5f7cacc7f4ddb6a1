"""The read API (``/api/``): django-ninja, typed schemas, an OpenAPI document and its page.

``main`` builds the ``NinjaAPI``; ``auth`` says who is calling; ``schemas`` holds the typed
shapes; ``routers/`` one module per resource; ``docs`` renders ``/api/docs`` on the server.
"""
