"""A local SMTP server for Niveau's e-mail tests (aiosmtpd).

    python server.py PORT DIR

Listens on 127.0.0.1:PORT and prints "READY" when it does. Each accepted message is
written to DIR as NNNN.json: {"mail_from", "rcpt_tos", "data"} and the parsed
"subject", "to", "message_id" and "body" (decoded). What it does with the
next message is read from DIR/mode for every message, so a test can change it while
the server runs:

    accept    reply 250 and keep the message (the default)
    refuse4   reply 451 (temporary): the sender must try again later
    refuse5   reply 550 (permanent): the sender must give up
    drop      close the connection after the DATA, without a reply and without keeping
              the message (the server disappears mid-send)
"""

import email
import email.policy
import json
import os
import sys
import time

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    def mode(self):
        try:
            with open(os.path.join(self.directory, "mode"), encoding="utf-8") as f:
                return f.read().strip() or "accept"
        except FileNotFoundError:
            return "accept"

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        if mode == "refuse4":
            return "451 4.3.0 Try again later"
        if mode == "refuse5":
            return "550 5.1.1 Mailbox unavailable"
        if mode == "drop":
            server.transport.close()
            return None
        names = [n for n in os.listdir(self.directory) if n.endswith(".json")]
        path = os.path.join(self.directory, "%04d.json" % (len(names) + 1))
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
            "subject": str(parsed["subject"]),
            "to": str(parsed["to"]),
            "message_id": str(parsed["message-id"]),
            "body": parsed.get_content(),
        }
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.replace(tmp, path)
        return "250 2.0.0 OK"


def main():
    port = int(sys.argv[1])
    directory = sys.argv[2]
    controller = Controller(Handler(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("READY", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
