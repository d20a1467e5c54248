#!/usr/bin/python3
"""A real SMTP server on loopback for idpd's delivery tests (aiosmtpd, Debian python3-aiosmtpd).

Listens on 127.0.0.1 on an ephemeral port and prints "port N" on stdout once it accepts.
Each message it takes is saved in --dir as NNNN.eml (the DATA exactly as received) with
NNNN.json beside it: {"mail_from", "rcpt_tos", "tls": STARTTLS was used, "auth": the
authenticated login or null}. A recipient starting with "reject" is refused with 550.

  --starttls CERT KEY   offer STARTTLS with this certificate (and require it before MAIL)
  --auth USER:PASSWORD  offer AUTH PLAIN/LOGIN and require it for this one user
Runs until SIGTERM or SIGINT.
"""
import argparse
import json
import os
import signal
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Saver:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            base = os.path.join(self.directory, "%04d" % self.count)
        login = getattr(session, "auth_data", None)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "auth": login.login.decode() if isinstance(login, LoginPassword) else None,
        }
        with open(base + ".eml.partial", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump(meta, f)
        os.rename(base + ".eml.partial", base + ".eml")
        return "250 OK: queued"


class EphemeralController(Controller):
    """Controller binds port 0 fine but then pokes port 0; learn the real port first."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", metavar="USER:PASSWORD")
    args = parser.parse_args()

    smtp_args = {"hostname": "127.0.0.1", "port": 0, "decode_data": False}
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.starttls[0], args.starttls[1])
        smtp_args.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and
                  auth_data.login.decode() == user and auth_data.password.decode() == password)
            return AuthResult(success=ok, auth_data=auth_data if ok else None)

        smtp_args.update(authenticator=authenticate, auth_required=True,
                         auth_require_tls=bool(args.starttls))

    controller = EphemeralController(Saver(args.dir), **smtp_args)
    controller.start()
    print("port %d" % controller.port, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(1):
        pass
    controller.stop()


if __name__ == "__main__":
    main()
