"""A live server that answers one request at a time, for tests on an in-memory SQLite database.

Django's live server shares the test's one connection to an in-memory SQLite database with
its request threads; two requests at once (a page and a ``sendBeacon`` fired as the page is
left, say) would use that connection from two threads together, which is not safe. Serving
requests one after another avoids it; Django's development server then closes every
connection after its response, so a browser never holds the server with a kept-alive socket.
"""

from __future__ import annotations

from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread


class SerialServer(WSGIServer):
    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


class SerialServerThread(LiveServerThread):
    server_class = SerialServer
