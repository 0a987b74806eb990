#!/usr/bin/env python3
"""A webhook autoscaler for trying `agones-lint simulate` locally (Python standard library only).

It answers a FleetAutoscaleReview like the Agones docs' example webhook: keep BUFFER Ready
GameServers above the allocated ones, but only scale when more than THRESHOLD of the Fleet is
allocated. Run it, then point the Service name of the manifest at it with --resolve:

    python3 examples/webhook/server.py --port 8000 &
    agones-lint simulate --resolve autoscaler.games.svc:8000:127.0.0.1 examples/webhook/autoscaler.yaml
"""
import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BUFFER = 5
THRESHOLD = 0.7


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        review = json.loads(self.rfile.read(length))
        request = review["request"]
        status = request["status"]
        replicas, allocated = status["replicas"], status["allocatedReplicas"]
        scale = replicas > 0 and allocated / replicas > THRESHOLD
        response = {"uid": request["uid"], "scale": scale, "replicas": allocated + BUFFER if scale else replicas}
        body = json.dumps({"request": request, "response": response}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0 picks a free one)")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
