"""A local HTTP server in a thread for the integration tests: answers from a list of canned responses (or a
function of the request) and records every request it got (method, path, query, headers, body)."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes

    @property
    def form(self) -> dict:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class FakeServer:
    answer: object = None  # callable(Recorded) -> (status, body object or bytes); or a list of those pairs
    requests: list = field(default_factory=list)

    def respond(self, recorded: Recorded):
        if callable(self.answer):
            return self.answer(recorded)
        if isinstance(self.answer, list):
            return self.answer.pop(0) if len(self.answer) > 1 else self.answer[0]
        return 200, {}

    def __enter__(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                recorded = Recorded(
                    self.command,
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    dict(self.headers),
                    self.rfile.read(length) if length else b"",
                )
                fake.requests.append(recorded)
                status, body = fake.respond(recorded)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
