"""The partner's side of a webhook: a loopback receiver and an independent Standard
Webhooks verifier (https://www.standardwebhooks.com/), written from the spec, not from
the exchange's code, so a signing mistake cannot hide behind a shared helper."""

import base64
import hashlib
import hmac
import http.server
import json
import threading
import time

TOLERANCE_SECONDS = 5 * 60


def verify_standard_webhook(secret: str, headers: dict, body: bytes) -> dict:
    """Raise AssertionError unless the request is signed by `secret`; return the payload."""
    assert secret.startswith("whsec_")
    key = base64.b64decode(secret[len("whsec_") :])
    msg_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    assert abs(time.time() - int(timestamp)) <= TOLERANCE_SECONDS, "stale timestamp"
    to_sign = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, to_sign, hashlib.sha256).digest())
    candidates = [
        part.split(",", 1)[1].encode()
        for part in headers["webhook-signature"].split(" ")
        if part.startswith("v1,")
    ]
    assert any(hmac.compare_digest(expected, c) for c in candidates), "bad signature"
    return json.loads(body)


class Receiver:
    """A loopback HTTP server that records requests and answers with queued codes."""

    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.answers: list[int] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(outer.answers.pop(0) if outer.answers else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
