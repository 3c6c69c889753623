#!/usr/bin/python3
"""A real SMTP server (aiosmtpd) for passmail's tests, with scriptable faults.

Prints "READY <port>" on stdout once listening and exits when stdin closes, so
it never outlives the test that started it.

Options:
  --port N            port on 127.0.0.1 (0 picks a free one; the real one is printed)
  --log FILE          append one JSON line per accepted message, flushed at acceptance:
                      {"mail_from","rcpt":[...],"message_id","size","session","fault"?,"data_b64"?}
  --keep-data         include the whole message (base64) in each log line
  --latency-ms N      wait N ms before answering the final dot
  --auth USER:PASS    require AUTH (PLAIN or LOGIN); wrong credentials get 535
  --tls-cert/--tls-key  offer STARTTLS with this certificate (required before MAIL)
  --implicit-tls      TLS from the first byte (smtps) instead of STARTTLS
  --idle-timeout S    close a connection idle for S seconds (421), like real servers do
  --faults FILE       JSON object recipient -> "421" | "451" | "452" | "550" | "554" | "535"
                      | "drop-after-data" | "hang-after-data"; "*" matches every recipient.
                      Re-read for every command, so a test can change faults mid-run.
"""
import argparse, asyncio, base64, json, logging, os, re, ssl, sys, warnings

warnings.simplefilter("ignore")
logging.getLogger("mail.log").setLevel(logging.CRITICAL)

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

REPLIES = {
    "421": "421 4.3.2 Service shutting down, try again later",
    "451": "451 4.3.0 Temporary local problem, try again later",
    "452": "452 4.2.2 Mailbox full",
    "550": "550 5.1.1 Mailbox unavailable",
    "554": "554 5.7.1 Message rejected as spam",
    "535": "535 5.7.8 Authentication credentials invalid",
}


class Config:
    def __init__(self, args):
        self.args = args
        self.sessions = 0

    def faults(self):
        path = self.args.faults
        if not path or not os.path.exists(path):
            return {}
        try:
            with open(path, "r", encoding="utf-8") as f:
                data = json.load(f)
            return {str(k).lower(): str(v) for k, v in data.items()}
        except (OSError, ValueError):
            return {}

    def fault_for(self, address):
        faults = self.faults()
        return faults.get(address.lower()) or faults.get("*")


def bare(addr):
    return addr.strip().strip("<>")


class Handler:
    def __init__(self, cfg):
        self.cfg = cfg

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        fault = self.cfg.fault_for(bare(address))
        if fault in REPLIES:
            return REPLIES[fault]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        args = self.cfg.args
        data = envelope.original_content or envelope.content or b""
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        faults = [self.cfg.fault_for(bare(r)) for r in envelope.rcpt_tos]
        fault = next((f for f in faults if f in ("drop-after-data", "hang-after-data")), None)
        m = re.search(rb"(?im)^message-id:\s*<([^>\r\n]*)>", data)
        record = {
            "mail_from": bare(envelope.mail_from or ""),
            "rcpt": [bare(r) for r in envelope.rcpt_tos],
            "message_id": m.group(1).decode("utf-8", "replace") if m else None,
            "size": len(data),
            "session": getattr(session, "pm_id", 0),
        }
        if fault:
            # The whole message arrived; only the reply goes missing. A real
            # server may well have queued it: that is what "in doubt" means.
            record["fault"] = fault
        if args.keep_data:
            record["data_b64"] = base64.b64encode(data).decode("ascii")
        if args.log:
            with open(args.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
                f.flush()
                os.fsync(f.fileno())
        if fault == "drop-after-data":
            server.transport.abort()
            return "250 2.0.0 (never seen: connection dropped)"
        if fault == "hang-after-data":
            await asyncio.sleep(3600)
        if args.latency_ms:
            await asyncio.sleep(args.latency_ms / 1000.0)
        return "250 2.0.0 OK queued as %s" % (record["message_id"] or "unknown")


class CountingSMTP(SMTP):
    """Numbers each connection so tests can see connection reuse."""

    cfg = None

    def connection_made(self, transport):
        super().connection_made(transport)
        CountingSMTP.cfg.sessions += 1
        self.session.pm_id = CountingSMTP.cfg.sessions


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--log")
    p.add_argument("--keep-data", action="store_true")
    p.add_argument("--latency-ms", type=int, default=0)
    p.add_argument("--auth")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--faults")
    p.add_argument("--idle-timeout", type=float, default=300)
    args = p.parse_args()
    cfg = Config(args)
    CountingSMTP.cfg = cfg

    ctx = None
    if args.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.tls_cert, args.tls_key or args.tls_cert)

    authenticator = None
    if args.auth:
        user, _, password = args.auth.partition(":")

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and \
                auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

    def factory():
        kw = dict(authenticator=authenticator, auth_required=bool(args.auth),
                  auth_require_tls=bool(ctx) and not args.implicit_tls,
                  enable_SMTPUTF8=True, data_size_limit=50 * 1024 * 1024, timeout=args.idle_timeout)
        if ctx and not args.implicit_tls:
            kw.update(tls_context=ctx, require_starttls=True)
        return CountingSMTP(Handler(cfg), **kw)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        factory, host="127.0.0.1", port=args.port, ssl=ctx if args.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]

    def on_stdin():
        if not os.read(sys.stdin.fileno(), 4096):
            loop.stop()

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    print("READY %d" % port, flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
