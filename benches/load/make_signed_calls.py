#!/usr/bin/env python3
"""Writes N signed Twilio `POST /twilio/voice/incoming` requests (one per
line: signature TAB body) for wrk, each with its own CallSid, signed like
Twilio does: base64(HMAC-SHA1(token, url + sorted name/value pairs))."""
import base64, hashlib, hmac, sys, urllib.parse

token, url, to, n, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
with open(out, "w") as f:
    for i in range(n):
        params = {
            "AccountSid": "AC00000000000000000000000000000001",
            "CallSid": f"CAload{i:028d}",
            "CallStatus": "ringing",
            "Direction": "inbound",
            "From": f"+1415{5550000 + i % 10000:07d}",
            "To": to,
        }
        data = url + "".join(k + params[k] for k in sorted(params))
        sig = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
        f.write(sig + "\t" + urllib.parse.urlencode(params) + "\n")
