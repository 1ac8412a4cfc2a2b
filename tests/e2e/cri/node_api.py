"""The Kubernetes API server's answers to `kubectl label node` over HTTPS, for the node installer
image's test (e2e cri_installer_image): discovery of the core group, GET and PATCH of one Node.

    node_api.py --cert CRT --key KEY --token FILE --port N --node NAME --log FILE

Requests without the bearer token in FILE (the pod's service-account token) get 401. Each
request is logged as one JSON line (method, path, body, content type, whether the token was
right); GET /__node answers the Node's labels without a token or a log line, for the test.
Not an API server: only what kubectl label sends.
"""

import argparse
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RESOURCES = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "v1", "resources": [{
    "name": "nodes", "singularName": "node", "namespaced": False, "kind": "Node",
    "verbs": ["get", "list", "patch", "update", "watch"], "shortNames": ["no"]}]}


def main():
    ap = argparse.ArgumentParser()
    for flag in ("--cert", "--key", "--token", "--node", "--log"):
        ap.add_argument(flag, required=True)
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args()
    token = open(args.token).read().strip()
    node = {"kind": "Node", "apiVersion": "v1",
            "metadata": {"name": args.node, "uid": "0", "resourceVersion": "1",
                         "labels": {"kubernetes.io/hostname": args.node}}}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self, code, obj):
            body = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def handle_any(self, method):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            path = self.path.split("?")[0]
            if path == "/__node":
                with lock:
                    return self.answer(200, node["metadata"]["labels"])
            auth = self.headers.get("Authorization") == "Bearer " + token
            with lock, open(args.log, "a") as log:
                log.write(json.dumps({"method": method, "path": path, "body": body, "auth": auth,
                                      "type": self.headers.get("Content-Type", "")}) + "\n")
            if not auth:
                return self.answer(401, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                         "reason": "Unauthorized", "code": 401})
            if method == "GET" and path == "/api":
                return self.answer(200, {"kind": "APIVersions", "versions": ["v1"]})
            if method == "GET" and path == "/apis":
                return self.answer(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": []})
            if method == "GET" and path == "/api/v1":
                return self.answer(200, RESOURCES)
            if path == "/api/v1/nodes/" + args.node and method in ("GET", "PATCH"):
                with lock:
                    if method == "PATCH":
                        # kubectl label sends {"metadata":{"labels":{K: V or null}}}.
                        labels = json.loads(body).get("metadata", {}).get("labels", {})
                        for k, v in labels.items():
                            if v is None:
                                node["metadata"]["labels"].pop(k, None)
                            else:
                                node["metadata"]["labels"][k] = v
                        rv = int(node["metadata"]["resourceVersion"]) + 1
                        node["metadata"]["resourceVersion"] = str(rv)
                    return self.answer(200, node)
            return self.answer(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                     "reason": "NotFound", "code": 404})

        def do_GET(self):
            self.handle_any("GET")

        def do_PATCH(self):
            self.handle_any("PATCH")

        def log_message(self, *unused):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
