#!/usr/bin/python3
"""A local stand-in for Mailjet's Send API v3.1 and message lookup, for passmail's tests.

Prints "READY <port>" on stdout once listening and exits when stdin closes.

Implements the documented shapes:
  POST /v3.1/send            {"Messages":[...], "SandboxMode"?} -> {"Messages":[{"Status","CustomID","To":[...]}|
                             {"Status":"error","Errors":[{"ErrorIdentifier","ErrorCode","StatusCode","ErrorMessage",
                             "ErrorRelatedTo"}]}]}; HTTP 200 when all succeed, 400 when any message failed (the
                             others were still sent).
  GET  /v3/REST/message?CustomID=X   {"Count":n,"Data":[{"ID","Status","CustomID",...}],"Total":n}
Options:
  --port N           port on 127.0.0.1 (0 picks a free one)
  --auth PUB:PRIV    Basic auth required; anything else gets 401 with Mailjet's error body
  --log FILE         one JSON line per accepted message {"custom_id","to","message_id","subject","message_uuid",
                     "id","sandbox","fault"?,"attachments":[{"filename","size"}]}
  --latency-ms N     wait before answering every request
  --faults FILE      JSON object, re-read per request. Keys: a recipient address or "*" (every request).
                     Values: "error" (that message alone gets Status error, mj-0013); for the whole
                     request carrying it: "429" or "429:SECONDS" (Retry-After), "500", "no-response"
                     (accept and record the messages, then close the connection without any HTTP
                     response), "latency:MS".
                     Misbehaving proxies and providers, nothing recorded: "502-html", "503-html:SECONDS"
                     (Retry-After in seconds), "503-date:SECONDS" (Retry-After as an HTTP date that many
                     seconds ahead), "403", "redirect" (307 elsewhere), "reset" (read the whole request,
                     then reset the connection), "echo-auth" (400 whose ErrorMessage repeats the
                     Authorization header and the decoded keys).
                     Recorded (the messages were accepted) but answered badly: "504-html" (a gateway gave
                     up waiting), "truncated" (200 whose JSON is cut off mid-way), "garbage-200" (200 with an
                     HTML body), "202" (202 with the normal JSON).
  A lookup (GET) with CustomID equal to a key whose value is "lookup-garbage" gets 200 with a body that
  is not JSON.
"""
import argparse, base64, email.utils, json, os, socket, struct, sys, threading, time, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

LOCK = threading.Lock()
STORE = {}          # CustomID -> list of records
NEXT_ID = [288230376151711744]
ARGS = None


def faults():
    if not ARGS.faults or not os.path.exists(ARGS.faults):
        return {}
    try:
        with open(ARGS.faults, "r", encoding="utf-8") as f:
            return {str(k).lower(): str(v) for k, v in json.load(f).items()}
    except (OSError, ValueError):
        return {}


def error_entry(code, status, message, related):
    return {"ErrorIdentifier": str(uuid.uuid4()), "ErrorCode": code, "StatusCode": status,
            "ErrorMessage": message, "ErrorRelatedTo": related}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, status, body, headers=None):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def reply_raw(self, status, data, content_type="text/html", headers=None, length=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def proxy_page(self, status, title, headers=None):
        page = ("<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center>"
                "<hr><center>nginx</center></body></html>\r\n" % (status, title, status, title)).encode()
        self.reply_raw(status, page, headers=headers)

    def reset(self):
        """Closes with RST (SO_LINGER 0): the client sees "connection reset by peer"."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def authorised(self):
        if not ARGS.auth:
            return True
        expected = "Basic " + base64.b64encode(ARGS.auth.encode()).decode()
        if self.headers.get("Authorization") == expected:
            return True
        self.reply(401, {"ErrorIdentifier": str(uuid.uuid4()), "ErrorCode": "mj-0001", "StatusCode": 401,
                         "ErrorMessage": "API key authentication/authorization failure. You may be unauthorized "
                                         "to access the API or your API key may be expired. Visit API keys "
                                         "management section to check your keys."})
        return False

    def do_GET(self):
        if ARGS.latency_ms:
            time.sleep(ARGS.latency_ms / 1000.0)
        url = urlparse(self.path)
        if url.path.rstrip("/") != "/v3/REST/message":
            return self.reply(404, {"ErrorInfo": "", "ErrorMessage": "Object not found", "StatusCode": 404})
        if not self.authorised():
            return
        custom_id = (parse_qs(url.query).get("CustomID") or [""])[0]
        if faults().get(custom_id.lower()) == "lookup-garbage":
            return self.reply_raw(200, b"<html>maintenance</html>")
        with LOCK:
            records = list(STORE.get(custom_id, []))
        data = [{"ID": r["id"], "CustomID": custom_id, "Status": "sent", "ArrivedAt": r["at"],
                 "UUID": r["message_uuid"], "MessageSize": r["size"]} for r in records]
        self.reply(200, {"Count": len(data), "Data": data, "Total": len(data)})

    def do_POST(self):
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if url.path.rstrip("/") != "/v3.1/send":
            return self.reply(404, {"ErrorMessage": "Object not found", "StatusCode": 404})
        if not self.authorised():
            return
        f = faults()
        try:
            body = json.loads(raw)
            messages = body["Messages"]
            assert isinstance(messages, list)
        except Exception:
            body, messages = None, None
        whole = f.get("*", "")
        if not whole and messages:
            # A request-level fault keyed by a recipient applies to the whole call carrying it.
            for m in messages:
                for t in m.get("To", []):
                    v = f.get(str(t.get("Email", "")).lower(), "")
                    if v != "error" and v and not whole:
                        whole = v
        delay = ARGS.latency_ms
        if whole.startswith("latency:"):
            delay += int(whole.split(":", 1)[1])
        if delay:
            time.sleep(delay / 1000.0)
        if whole.startswith("429"):
            retry = whole.split(":", 1)[1] if ":" in whole else "2"
            return self.reply(429, {"ErrorIdentifier": str(uuid.uuid4()), "StatusCode": 429,
                                    "ErrorMessage": "Too many requests"}, {"Retry-After": retry})
        if whole == "502-html":
            return self.proxy_page(502, "Bad Gateway")
        if whole.startswith("503-html"):
            return self.proxy_page(503, "Service Temporarily Unavailable", {"Retry-After": whole.split(":", 1)[1]})
        if whole.startswith("503-date"):
            when = email.utils.formatdate(time.time() + int(whole.split(":", 1)[1]), usegmt=True)
            return self.proxy_page(503, "Service Temporarily Unavailable", {"Retry-After": when})
        if whole == "403":
            return self.reply(403, {"ErrorIdentifier": str(uuid.uuid4()), "StatusCode": 403,
                                    "ErrorMessage": "Forbidden: this API key may not send"})
        if whole == "redirect":
            return self.reply_raw(307, b"", headers={"Location": "https://api.mailjet.com/v3.1/send"})
        if whole == "reset":
            return self.reset()
        if whole == "echo-auth":
            auth = self.headers.get("Authorization", "")
            decoded = base64.b64decode(auth.split(" ", 1)[-1]).decode("utf-8", "replace") if auth else ""
            return self.reply(400, {"StatusCode": 400, "ErrorMessage": "Bad request from %s (%s)" % (auth, decoded)})
        if whole == "500":
            return self.reply(500, {"ErrorIdentifier": str(uuid.uuid4()), "StatusCode": 500,
                                    "ErrorMessage": "Internal Server Error"})
        if messages is None:
            return self.reply(400, {"ErrorIdentifier": str(uuid.uuid4()), "ErrorCode": "mj-0031",
                                    "StatusCode": 400, "ErrorMessage": "Request body is not valid JSON"})
        sandbox = bool(body.get("SandboxMode"))
        if len(messages) > 50:
            return self.reply(400, {"ErrorIdentifier": str(uuid.uuid4()), "ErrorCode": "mj-0002",
                                    "StatusCode": 400, "ErrorMessage": "Too many messages (max 50)"})
        results, failed = [], False
        for m in messages:
            to = [t.get("Email", "") for t in m.get("To", [])]
            fault = next((f.get(a.lower()) for a in to if f.get(a.lower())), None)
            custom_id = m.get("CustomID", "")
            problems = []
            if not m.get("From", {}).get("Email"):
                problems.append(error_entry("mj-0013", 400, "\"\" is an invalid email address.", ["From.Email"]))
            if not to:
                problems.append(error_entry("mj-0003", 400, "Missing mandatory property.", ["To"]))
            if fault == "error":
                problems.append(error_entry("mj-0013", 400, "\"%s\" is an invalid email address." % to[0],
                                            ["To[0].Email"]))
            if problems:
                failed = True
                results.append({"Status": "error", "Errors": problems})
                continue
            with LOCK:
                NEXT_ID[0] += 1
                mid = NEXT_ID[0]
            muuid = str(uuid.uuid4())
            record = {"custom_id": custom_id, "to": to, "id": mid, "message_uuid": muuid,
                      "message_id": (m.get("Headers") or {}).get("Message-ID"), "subject": m.get("Subject"),
                      "sandbox": sandbox, "size": len(json.dumps(m)), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ"),
                      "attachments": [{"filename": a.get("Filename"),
                                       "size": len(base64.b64decode(a.get("Base64Content", "")))}
                                      for a in m.get("Attachments", [])]}
            if whole == "no-response":
                record["fault"] = "no-response"
            if not sandbox:
                with LOCK:
                    STORE.setdefault(custom_id, []).append(record)
                    if ARGS.log:
                        with open(ARGS.log, "a", encoding="utf-8") as log:
                            log.write(json.dumps(record) + "\n")
                            log.flush()
                            os.fsync(log.fileno())
            results.append({"Status": "success", "CustomID": custom_id,
                            "To": [{"Email": a, "MessageUUID": muuid, "MessageID": mid,
                                    "MessageHref": "https://api.mailjet.com/v3/REST/message/%d" % mid}
                                   for a in to], "Cc": [], "Bcc": []})
        if whole == "no-response":
            # Accepted and recorded, but the answer never arrives: the client must not know.
            self.close_connection = True
            try:
                self.connection.shutdown(2)
            except OSError:
                pass
            return
        status, answer = (400 if failed else 200), {"Messages": results}
        if whole == "504-html":
            return self.proxy_page(504, "Gateway Time-out")
        if whole == "garbage-200":
            return self.reply_raw(200, b"<html><body>OK</body></html>")
        if whole == "202":
            status = 202
        if whole == "truncated":
            data = json.dumps(answer).encode("utf-8")
            self.reply_raw(status, data[:len(data) // 2], "application/json", length=len(data))
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.reply(status, answer)


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--auth")
    p.add_argument("--log")
    p.add_argument("--latency-ms", type=int, default=0)
    p.add_argument("--faults")
    ARGS = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    server.daemon_threads = True

    def watch_stdin():
        while os.read(sys.stdin.fileno(), 4096):
            pass
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    print("READY %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
