#!/usr/bin/env python3
"""Flattens Tests/Fixtures/frames/*.json into a line format the C tests read (stdlib only).

  V <name> <request|response> <frames>                       a valid vector, then its frames:
  F <flags> <length> <compressed> <payloadLength> <canonical> <id> <method|-> <hasStatus> <statusCode>
    <cancel> <timeoutMs> <bodyType|-> <bodyHex|->
  I <name> <request|response> <kind> <status|->               an invalid vector
"""
import base64
import json
import os
import sys

CODES = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
         "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
         "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"]


def main(frames_dir):
    with open(os.path.join(frames_dir, "index.json")) as f:
        names = json.load(f)["vectors"]
    for name in names:
        with open(os.path.join(frames_dir, name + ".json"), encoding="utf-8") as f:
            doc = json.load(f)
        if not doc["valid"]:
            err = doc["error"]
            print("I %s %s %s %s" % (name, doc["direction"], err["kind"], err["status"] or "-"))
            continue
        print("V %s %s %d" % (name, doc["direction"], len(doc["frames"])))
        for fr in doc["frames"]:
            env = fr["envelope"]
            status = env.get("status")
            code = status.get("code", "OK") if status is not None else "OK"
            body = base64.b64decode(env.get("body", ""))
            print("F %d %d %d %d %d %s %s %d %d %d %d %s %s" % (
                fr["flags"], fr["length"], fr["compressed"], fr["payloadLength"], fr["canonical"],
                env.get("id", "0"), env.get("method") or "-", status is not None, CODES.index(code),
                bool(env.get("cancel")), env.get("timeoutMs", 0), fr.get("bodyType", "-"), body.hex() or "-"))


if __name__ == "__main__":
    main(sys.argv[1])
