#!/usr/bin/env python3
"""Writes N signed Twilio `POST /twilio/sms/incoming` requests (signature TAB
body per line) for wrk: distinct MessageSids, a spread of customer numbers
and realistic first texts, signed as Twilio signs them."""
import base64, hashlib, hmac, sys, urllib.parse

token, url, to, n, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
texts = [
    "hi how much is a full detail",
    "do you guys need water and power",
    "can i get an interior detail saturday morning",
    "what if it rains",
    "hey are you open sunday",
]
with open(out, "w") as f:
    for i in range(n):
        params = {
            "AccountSid": "AC00000000000000000000000000000001",
            "MessageSid": f"SMload{i:028d}",
            "From": f"+1415{5550000 + i % 5000:07d}",
            "To": to,
            "Body": texts[i % len(texts)],
            "NumMedia": "0",
        }
        data = url + "".join(k + params[k] for k in sorted(params))
        sig = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
        f.write(sig + "\t" + urllib.parse.urlencode(params) + "\n")
