#!/usr/bin/python3
"""Gmail-like SMTP server for alertdigest's delivery tests (aiosmtpd 1.4.3, Debian).

Listens on 127.0.0.1 only. Modes: `starttls` (plain listener offering STARTTLS, like
smtp.gmail.com:587), `tls` (implicit TLS from the first byte, like :465), `plain` (no TLS).
Replies copy Gmail's wording (enhanced status codes) where tests look at them; faults are
injected with the options below. Run with --help for the option list.

Outputs
  --ready-file   the bound port and a newline, written atomically once listening.
  --spool        per accepted message <n>.eml (the DATA content as received, CRLF, with the
                 SMTP dot-stuffing undone) and then <n>.json (written last, atomically):
                 {"mail_from", "rcpt_tos", "user" (or null), "session", "tls"}.
  --log          JSON lines, flushed at once: {"event": ..., "session": n, ...}. Events:
                 connect ehlo starttls tls_failed auth auth_failed mail rcpt rcpt_rejected
                 data message reset quit dropped closed. Secrets are never logged.

aiosmtpd quirks worked around here
  * Its AUTH LOGIN prompts ("User Name\\0") make Poco skip the exchange; Gmail's
    "Username:"/"Password:" prompts are used instead.
  * It only counts STARTTLS as TLS (implicit TLS is invisible to it), and its require_starttls
    reply has no enhanced code. The harness passes auth_require_tls=False, never uses
    require_starttls/auth_required, and gates AUTH/MAIL/RCPT/DATA and the EHLO capabilities
    itself.
  * Its built-in auth_PLAIN answers twice when the client cancels with "*"; harmless here.
  * Members named auth_* / handle_* / smtp_* are picked up as mechanisms/hooks/commands, so
    no other attribute uses those prefixes.
"""
import argparse
import asyncio
import base64
import binascii
import json
import logging
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword, TLSSetupException

HOSTNAME = "smtp.example.test"
SIZE_LIMIT = 35882577
MUST_STARTTLS = "530 5.7.0 Must issue a STARTTLS command first"
AUTH_NEEDED = "530 5.7.0 Authentication Required."
BAD_CREDENTIALS = "535 5.7.8 Username and Password not accepted."
APP_PASSWORD = "534 5.7.9 Application-specific password required."
NO_SUCH_USER = "550 5.1.1 The email account that you tried to reach does not exist."
TOO_MANY_RCPTS = "452 4.5.3 Your message has too many recipients."
DAILY_LIMIT = "550 5.4.5 Daily user sending limit exceeded."
XOAUTH2_ERROR = base64.b64encode(json.dumps(
    {"status": "400", "schemes": "Bearer", "scope": "https://mail.google.com/"},
    separators=(",", ":")).encode()).decode()
# aiosmtpd's fixed texts, replaced by Gmail's on the way out.
REWRITE = {
    "220 Ready to start TLS": "220 2.0.0 Ready to start TLS",
    "354 End data with <CR><LF>.<CR><LF>": "354  Go ahead - gsmtp",
}


def text(b):
    return b.decode("utf-8", "surrogateescape") if isinstance(b, bytes) else b


class Harness:
    """Configuration, state shared by all sessions, and aiosmtpd's handler hooks."""

    def __init__(self, opts):
        self.opts = opts
        self.users = dict(u.split(":", 1) for u in opts.user)
        self.rejected = {a.lower() for a in opts.reject_rcpt}
        self.sessions = 0
        self.mail_commands = 0  # MAIL FROM commands that reached the fault-injection hook
        self.data_commands = 0  # transactions that reached DATA (for --drop-in-data)
        self.accepted = 0  # by this process (for --daily-limit)
        self.live = set()
        os.makedirs(opts.spool, exist_ok=True)
        # A restarted harness (same spool) continues the message numbering.
        self.spooled = sum(1 for f in os.listdir(opts.spool) if f.endswith(".json"))
        self.logfile = open(opts.log, "a", encoding="utf-8")

    def log(self, event, session, **details):
        self.logfile.write(json.dumps({"event": event, "session": session, **details}) + "\n")
        self.logfile.flush()

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        """aiosmtpd authenticator; also used by the XOAUTH2 mechanism (password = token)."""
        user, secret = text(auth_data.login), text(auth_data.password)
        if user == self.opts.app_password_required:
            reply = APP_PASSWORD
        elif user in self.users and self.users[user] == secret:
            self.log("auth", server.number, mechanism=mechanism, user=user)
            return AuthResult(success=True, auth_data=auth_data)
        else:
            reply = BAD_CREDENTIALS
        self.log("auth_failed", server.number, mechanism=mechanism, user=user, reply=reply)
        return AuthResult(success=False, handled=False, message=reply)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mail_commands += 1
        if self.mail_commands <= self.opts.fail_first:
            return self.opts.fail_reply  # a 421 also closes the connection (GmailSMTP.push)
        if self.opts.daily_limit and self.accepted >= self.opts.daily_limit:
            return DAILY_LIMIT
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK - gsmtp"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected:
            return NO_SUCH_USER
        if self.opts.max_recipients and len(envelope.rcpt_tos) >= self.opts.max_recipients:
            return TOO_MANY_RCPTS
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK - gsmtp"

    async def handle_DATA(self, server, session, envelope):
        self.accepted += 1
        self.spooled += 1
        n = self.spooled
        base = os.path.join(self.opts.spool, str(n))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                "user": text(session.auth_data.login) if session.authenticated else None,
                "session": server.number, "tls": server.tls}
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            f.write(json.dumps(meta) + "\n")
        os.replace(base + ".json.tmp", base + ".json")
        self.log("message", server.number, n=n, size=len(envelope.original_content))
        if self.opts.delay_after_dot:
            await asyncio.sleep(self.opts.delay_after_dot)  # delivered, but the reply is late
        return f"250 2.0.0 OK {n} - gsmtp"

    async def handle_exception(self, error):
        """aiosmtpd's error hook: a failed STARTTLS handshake is routine here (certificate
        tests), so no traceback for it; anything else is a harness bug worth one."""
        if isinstance(error, TLSSetupException):
            logging.getLogger("harness").info("STARTTLS handshake failed: %r", error.__cause__)
        else:
            logging.getLogger("harness").exception("session exception")
        return f"500 5.3.0 Error: ({type(error).__name__}) {error}"

    async def handle_RSET(self, server, session, envelope):
        self.log("reset", server.number)
        return "250 2.1.5 Flushed - gsmtp"

    async def handle_QUIT(self, server, session, envelope):
        self.log("quit", server.number)
        return "221 2.0.0 closing connection - gsmtp"


class GmailSMTP(SMTP):
    """One connection. Overrides only what Gmail does differently or what faults need."""

    AuthLoginUsernameChallenge = "Username:"
    AuthLoginPasswordChallenge = "Password:"

    def __init__(self, harness, tls_context, implicit_tls):
        self.h = harness
        self.number = 0
        self.tls = implicit_tls
        self.last_reply = ""
        self.ended = False
        super().__init__(harness, hostname=HOSTNAME, ident="ESMTP harness - gsmtp",
                         tls_context=tls_context, data_size_limit=SIZE_LIMIT,
                         enable_SMTPUTF8=True, auth_require_tls=False,
                         authenticator=harness.authenticate, loop=asyncio.get_running_loop())

    # --- connection life cycle -------------------------------------------------------------
    def connection_made(self, transport):
        if self._original_transport is None:  # not the second call after STARTTLS
            self.h.sessions += 1
            self.number = self.h.sessions
            self.h.live.add(self)
            self.h.log("connect", self.number, tls=self.tls)
        super().connection_made(transport)

    def connection_lost(self, error):
        if not self.ended:
            self.ended = True
            self.h.live.discard(self)
            self.h.log("closed", self.number)
        super().connection_lost(error)

    async def _handle_client(self):
        if self.number <= self.h.opts.drop_connect:
            return self.drop(where="connect")  # before the greeting: a refusing load balancer
        if self.h.opts.delay_greeting:
            await asyncio.sleep(self.h.opts.delay_greeting)
        await super()._handle_client()

    async def push(self, status):
        line = REWRITE.get(text(status), text(status))
        self.last_reply = line
        await super().push(line)
        if line.startswith("421") and self.transport is not None:
            self.h.log("dropped", self.number, after=line)
            self.hang_up(abort=False)

    def hang_up(self, abort):
        """Close (abort: at once, no TLS close_notify) and stop reading commands already
        buffered (a pipelining client's), which aiosmtpd would otherwise still answer."""
        if self.transport is not None:
            self.transport.abort() if abort else self.transport.close()
            self.transport = None  # ends aiosmtpd's command loop; connection_lost follows

    def drop(self, **details):
        """Close abruptly, without a reply."""
        self.h.log("dropped", self.number, **details)
        self.hang_up(abort=True)

    async def gate(self, command):
        """Gmail's checks before AUTH/MAIL/RCPT/DATA. True if the command was answered."""
        if self.h.opts.require_tls and not self.tls:
            await self.push(MUST_STARTTLS)
            return True
        if (command in ("MAIL", "RCPT", "DATA") and self.h.opts.auth_required
                and not self.session.authenticated):
            await self.push(AUTH_NEEDED)
            return True
        return False

    def address(self, keyword, arg):
        rest = self._strip_command_keyword(keyword, arg or "")
        return self._getaddr(rest)[0] if rest is not None else None

    # --- commands ----------------------------------------------------------------------------
    async def smtp_EHLO(self, hostname):
        if not hostname:
            return await self.push("501 5.5.4 Empty HELO/EHLO argument not allowed")
        self._set_rset_state()
        self.session.extended_smtp = True
        self.session.host_name = hostname
        self.h.log("ehlo", self.number, host=hostname, tls=self.tls)
        first = f"{HOSTNAME} at your service, [{self.session.peer[0]}]"
        if self.h.opts.close_in_ehlo:
            await self.push("250-" + first)
            return self.drop(where="ehlo")
        caps = [first, f"SIZE {SIZE_LIMIT}", "8BITMIME"]
        if self.h.opts.mode == "starttls" and not self.tls:
            caps.append("STARTTLS")
        auth_possible = self.h.users or self.h.opts.app_password_required
        if auth_possible and (self.tls or not self.h.opts.require_tls):
            caps.append("AUTH LOGIN PLAIN XOAUTH2")
        caps += ["ENHANCEDSTATUSCODES", "PIPELINING", "SMTPUTF8"]
        for i, cap in enumerate(caps):
            await self.push(("250 " if i == len(caps) - 1 else "250-") + cap)

    async def smtp_STARTTLS(self, arg):
        if self.tls:
            return await self.push("503 5.5.1 TLS already active.")
        try:
            await super().smtp_STARTTLS(arg)
        except asyncio.CancelledError:
            raise
        except Exception:
            self.h.log("tls_failed", self.number)
            raise
        if self._tls_protocol is not None and self.transport is not None:
            self.tls = True
            self.h.log("starttls", self.number)

    async def smtp_AUTH(self, arg):
        if await self.gate("AUTH"):
            return
        await super().smtp_AUTH(arg)

    async def auth_XOAUTH2(self, _, args):
        """Google's XOAUTH2; a bad token gets the 334 JSON challenge, an empty line, then 535."""
        if len(args) == 1:
            blob = await self.challenge_auth("")
            if blob is MISSING:
                return AuthResult(success=False, handled=True)
        else:
            try:
                blob = base64.b64decode(args[1], validate=True)
            except (binascii.Error, ValueError):
                await self.push("501 5.5.2 Cannot Decode response")
                return AuthResult(success=False, handled=True)
        fields = dict(p.split(b"=", 1) for p in blob.split(b"\x01") if b"=" in p)
        user, bearer = fields.get(b"user", b""), fields.get(b"auth", b"")
        token = bearer[7:] if bearer.startswith(b"Bearer ") else b""
        result = self.h.authenticate(self, self.session, self.envelope, "XOAUTH2",
                                     LoginPassword(user, token))
        if result.success or result.message == APP_PASSWORD:
            return result
        await self.push("334 " + XOAUTH2_ERROR)
        await self._reader.readline()  # the client's (normally empty) answer
        return result

    async def smtp_MAIL(self, arg):
        if await self.check_helo_needed() or await self.gate("MAIL"):
            return
        await super().smtp_MAIL(arg)
        self.h.log("mail", self.number, address=self.address("FROM:", arg), reply=self.last_reply)

    async def smtp_RCPT(self, arg):
        if await self.check_helo_needed() or await self.gate("RCPT"):
            return
        await super().smtp_RCPT(arg)
        ok = self.last_reply.startswith("2")
        self.h.log("rcpt" if ok else "rcpt_rejected", self.number,
                   address=self.address("TO:", arg), reply=self.last_reply)

    async def smtp_DATA(self, arg):
        if await self.check_helo_needed() or await self.gate("DATA"):
            return
        if arg or not self.envelope.rcpt_tos:
            return await super().smtp_DATA(arg)  # its error replies
        self.h.data_commands += 1
        self.h.log("data", self.number)
        if self.h.data_commands > self.h.opts.drop_in_data:
            return await super().smtp_DATA(arg)
        await self.push("354  Go ahead - gsmtp")
        got = 0
        while got < 100:  # part of the body: a line or a few, never the whole of a big one
            line = await self._reader.readline()
            got += len(line)
            if not line or line == b".\r\n":
                break
        self.drop(where="data", bytes_read=got)


async def serve(opts):
    harness = Harness(opts)
    context = None
    if opts.mode != "plain":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(opts.cert, opts.key)
    implicit = opts.mode == "tls"
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: GmailSMTP(harness, None if implicit else context, implicit),
        host="127.0.0.1", port=opts.port, ssl=context if implicit else None,
        reuse_address=True)
    port = server.sockets[0].getsockname()[1]
    with open(opts.ready_file + ".tmp", "w") as f:
        f.write(f"{port}\n")
    os.replace(opts.ready_file + ".tmp", opts.ready_file)

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    for conn in list(harness.live):
        if conn.transport is not None:
            conn.transport.abort()
    try:
        await asyncio.wait_for(server.wait_closed(), 2)
    except asyncio.TimeoutError:
        pass
    harness.logfile.close()


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a = p.add_argument
    a("--ready-file", required=True)
    a("--spool", required=True)
    a("--log", required=True)
    a("--port", type=int, default=0)
    a("--mode", choices=["starttls", "tls", "plain"], default="starttls")
    a("--cert")
    a("--key")
    a("--require-tls", action="store_true")
    a("--user", action="append", default=[], metavar="NAME:SECRET")
    a("--app-password-required", default="", metavar="USER")
    a("--auth-required", action="store_true")
    a("--fail-first", type=int, default=0, metavar="N")
    a("--fail-reply", default="421 4.7.0 Try again later, closing connection.")
    a("--reject-rcpt", action="append", default=[], metavar="ADDR")
    a("--drop-in-data", type=int, default=0, metavar="N")
    a("--drop-connect", type=int, default=0, metavar="N")
    a("--delay-after-dot", type=float, default=0, metavar="SECONDS")
    a("--delay-greeting", type=float, default=0, metavar="SECONDS")
    a("--daily-limit", type=int, default=0, metavar="N")
    a("--close-in-ehlo", action="store_true")
    a("--max-recipients", type=int, default=0, metavar="N")
    opts = p.parse_args(argv)
    if opts.mode != "plain" and not (opts.cert and opts.key):
        p.error("--cert and --key are required for --mode starttls/tls")
    if opts.require_tls and opts.mode == "plain":
        p.error("--require-tls needs --mode starttls or tls")
    if any(":" not in u for u in opts.user):
        p.error("--user takes NAME:SECRET")
    return opts


def main():
    opts = parse_args(sys.argv[1:])
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # aiosmtpd's own smtp_AUTH still sets the deprecated Session.login_data.
    logging.getLogger("mail.log").addFilter(lambda r: "login_data is deprecated" not in r.getMessage())
    asyncio.run(serve(opts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
