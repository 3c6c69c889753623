#!/usr/bin/python3
"""A deliberately misbehaving SMTP server for passmail's fault tests.

aiosmtpd (smtp_server.py) is a well-behaved server; real ones are not. This one
speaks just enough SMTP by hand to misbehave at any step: refuse the greeting,
leave STARTTLS or AUTH out of its EHLO, answer any command with any reply
(multi-line too), drop the connection or go silent at any point, answer slowly.

Prints "READY <port>" on stdout once listening and exits when stdin closes.

Options:
  --port N       port on 127.0.0.1 (0 picks a free one)
  --log FILE     one JSON line per message whose final dot arrived, written before the reply:
                 {"mail_from","rcpt":[...],"message_id","size","session"}
  --script FILE  JSON object, re-read at every connection and command. Keys (all optional):
     "greeting"       reply to the connection (default "220 scripted ESMTP")
     "ehlo"           extension lines after the first EHLO line (default ["PIPELINING","SIZE 10240000","8BITMIME"])
     "HELO","EHLO","MAIL","RCPT","DATA","RSET","NOOP","QUIT","AUTH","STARTTLS"
                      reply to that command instead of the default
     "dot"            reply to the final dot (default "250 2.0.0 Ok: queued")
     "after_dot"      "close" closes the connection right after replying to the dot
     "in_data"        "drop" closes the connection after the first line of message data (mid-DATA)
  "AUTH": "echo" refuses the login with a 535 that repeats the base64 credentials it received.
  A reply is a string, a list of strings (sent as one multi-line reply), "drop" (close the
  connection without a reply), "hang" (never reply), or {"delay_ms": N, "reply": ...}.
"""
import argparse, json, os, re, socket, sys, threading, time

ARGS = None
LOCK = threading.Lock()
SESSIONS = [0]


def script():
    if not ARGS.script or not os.path.exists(ARGS.script):
        return {}
    try:
        with open(ARGS.script, "r", encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


class Closed(Exception):
    pass


def send_reply(conn, reply):
    """Sends one scripted reply; raises Closed after "drop"; never returns after "hang"."""
    if isinstance(reply, dict):
        time.sleep(reply.get("delay_ms", 0) / 1000.0)
        reply = reply.get("reply", "250 OK")
    if reply == "drop":
        raise Closed()
    if reply == "hang":
        while True:
            time.sleep(3600)
    lines = reply if isinstance(reply, list) else [reply]
    out = []
    for i, line in enumerate(lines):
        code, rest = line[:3], line[4:]
        sep = " " if i == len(lines) - 1 else "-"
        out.append("%s%s%s\r\n" % (code, sep, rest))
    conn.sendall("".join(out).encode("utf-8"))


def serve(conn):
    with LOCK:
        SESSIONS[0] += 1
        session = SESSIONS[0]
    f = conn.makefile("rb")
    mail_from, rcpt = None, []
    try:
        send_reply(conn, script().get("greeting", "220 scripted ESMTP"))
        while True:
            raw = f.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "MAIL" and line.upper().startswith("MAIL FROM:"):
                verb = "MAIL"
            s = script()
            if verb == "EHLO":
                ext = s.get("ehlo", ["PIPELINING", "SIZE 10240000", "8BITMIME"])
                send_reply(conn, s.get("EHLO", ["250 scripted"] + ["250 " + e for e in ext]))
            elif verb == "MAIL":
                mail_from, rcpt = re.sub(r"(?i)^MAIL FROM:\s*", "", line).split(" ")[0].strip("<>"), []
                send_reply(conn, s.get("MAIL", "250 2.1.0 Ok"))
            elif verb == "RCPT":
                reply = s.get("RCPT", "250 2.1.5 Ok")
                if (reply if isinstance(reply, str) else "250").startswith("2"):
                    rcpt.append(re.sub(r"(?i)^RCPT TO:\s*", "", line).strip("<> "))
                send_reply(conn, reply)
            elif verb == "DATA":
                reply = s.get("DATA", "354 End data with <CR><LF>.<CR><LF>")
                send_reply(conn, reply)
                if not (reply if isinstance(reply, str) else "354").startswith("354"):
                    continue
                data = bytearray()
                while True:
                    chunk = f.readline()
                    if not chunk:
                        return  # dropped mid-DATA: nothing was delivered
                    if s.get("in_data") == "drop":
                        return
                    if chunk == b".\r\n":
                        break
                    data += chunk[1:] if chunk.startswith(b".") else chunk
                m = re.search(rb"(?im)^message-id:\s*<([^>\r\n]*)>", bytes(data))
                if ARGS.log:
                    with LOCK, open(ARGS.log, "a", encoding="utf-8") as log:
                        log.write(json.dumps({"mail_from": mail_from, "rcpt": rcpt, "size": len(data),
                                              "message_id": m.group(1).decode() if m else None,
                                              "session": session}) + "\n")
                        log.flush()
                        os.fsync(log.fileno())
                send_reply(conn, s.get("dot", "250 2.0.0 Ok: queued"))
                if s.get("after_dot") == "close":
                    return
            elif verb == "QUIT":
                send_reply(conn, s.get("QUIT", "221 2.0.0 Bye"))
                return
            elif verb == "AUTH":
                # SASL challenges as a real server sends them (PLAIN without an initial response, LOGIN);
                # the credentials are read and thrown away, never logged.
                parts = line.split(" ")
                mechanism = parts[1].upper() if len(parts) > 1 else ""
                challenges = {"PLAIN": [""] if len(parts) < 3 else [],
                              "LOGIN": ["VXNlcm5hbWU6", "UGFzc3dvcmQ6"][(1 if len(parts) > 2 else 0):]}.get(mechanism, [])
                received = [" ".join(parts[2:])] if len(parts) > 2 else []
                for challenge in challenges:
                    conn.sendall(("334 %s\r\n" % challenge).encode("ascii"))
                    answer = f.readline()
                    if not answer:
                        return
                    received.append(answer.decode("ascii", "replace").strip())
                reply = s.get("AUTH", "235 2.7.0 Authentication successful")
                if reply == "echo":
                    # A careless server that repeats what it got (base64 credentials) in its refusal.
                    reply = "535 5.7.8 Authentication failed for %s" % " ".join(received)
                send_reply(conn, reply)
            elif verb in ("HELO", "RSET", "NOOP", "STARTTLS"):
                default = {"HELO": "250 scripted", "RSET": "250 2.0.0 Ok", "NOOP": "250 2.0.0 Ok",
                           "STARTTLS": "454 4.7.0 TLS not available"}[verb]
                send_reply(conn, s.get(verb, default))
            else:
                send_reply(conn, "502 5.5.2 Error: command not recognized")
    except (Closed, OSError):
        pass
    finally:
        try:
            conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        conn.close()


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log")
    p.add_argument("--script")
    ARGS = p.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", ARGS.port))
    listener.listen(16)

    def accept_loop():
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    def watch_stdin():
        while os.read(sys.stdin.fileno(), 4096):
            pass
        os._exit(0)

    threading.Thread(target=accept_loop, daemon=True).start()
    print("READY %d" % listener.getsockname()[1], flush=True)
    watch_stdin()


if __name__ == "__main__":
    main()
