#!/usr/bin/env python3
"""verify-chain.py — checks a package's chain of custody against the agency's signed audit checkpoints.

Standard library and the openssl command only. Usage: python3 verify-chain.py [custody folder] [--audit-key key.pem ...]

The audit trail is a hash chain. Event n's hash is SHA-256 over: the 8 bytes "EMAUDIT1"; seq as a signed
64-bit big-endian integer; occurredAt, actor, action, subjectType, subjectId and details, each as its UTF-8
length (unsigned 32-bit big-endian) followed by its UTF-8 bytes; then the previous event's 32-byte hash.
A checkpoint signs (ECDSA P-256, SHA-256, DER) a statement naming one seq and its hash; its keyId is the
SHA-256 of the signing public key's DER SubjectPublicKeyInfo.

Checks: every checkpoint's signature by a key in audit-keys/ (or given with --audit-key); every chain
segment consecutive, linked (each prevHash is the previous hash), each hash recomputed, and ending in a
checkpoint's signed hash; every custody event in events.jsonl hashes to its own hash and, when a segment
covers it, is that segment's event byte for byte. Events after the last checkpoint are listed as not covered.
Exit status 0: no contradiction found; 1: something does not verify (printed); 2: cannot run.
"""
import base64
import glob
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile

DOMAIN = b"EMAUDIT1"
FORMAT = "enforcement-media/audit-checkpoint/1"


def event_hash(event, prev_hash):
    data = bytearray(DOMAIN)
    data += struct.pack(">q", event["seq"])
    for field in ("occurredAt", "actor", "action", "subjectType", "subjectId", "details"):
        raw = event[field].encode("utf-8")
        data += struct.pack(">I", len(raw)) + raw
    data += prev_hash
    return hashlib.sha256(bytes(data)).hexdigest()


def read_lines(path):
    with open(path, "rb") as handle:
        return [line for line in handle.read().split(b"\n") if line]


def key_id_of(pem_path):
    with open(pem_path, "r", encoding="ascii") as handle:
        body = "".join(line.strip() for line in handle if line.strip() and not line.startswith("-----"))
    return hashlib.sha256(base64.b64decode(body)).hexdigest()


def openssl_verifies(pem_path, data, signature):
    with tempfile.TemporaryDirectory() as work:
        data_path, sig_path = os.path.join(work, "statement"), os.path.join(work, "signature")
        with open(data_path, "wb") as handle:
            handle.write(data)
        with open(sig_path, "wb") as handle:
            handle.write(signature)
        result = subprocess.run(["openssl", "dgst", "-sha256", "-verify", pem_path, "-signature", sig_path, data_path],
                                capture_output=True, check=False)
        return result.returncode == 0


def main(argv):
    folder, extra_keys, i = "custody", [], 1
    while i < len(argv):
        if argv[i] == "--audit-key" and i + 1 < len(argv):
            extra_keys.append(argv[i + 1])
            i += 2
        else:
            folder = argv[i]
            i += 1
    if not os.path.isdir(folder):
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return 2

    problems = []
    keys = {key_id_of(path): path for path in sorted(glob.glob(os.path.join(folder, "audit-keys", "*.pem"))) + extra_keys}
    print(f"  audit keys: {', '.join(keys) or 'none (give the agency audit key with --audit-key)'}")

    signed = {}  # seq -> signed hash, from checkpoints whose signature verifies
    for path in sorted(glob.glob(os.path.join(folder, "checkpoints", "*.json"))):
        name = os.path.basename(path)
        try:
            with open(path, "rb") as handle:
                envelope = json.loads(handle.read().decode("utf-8"))
            statement_text = envelope["statement"]
            statement = json.loads(statement_text)
            if envelope.get("algorithm") != "ECDSA-P256-SHA256" or statement.get("format") != FORMAT:
                raise ValueError("not an audit checkpoint")
            signature = base64.b64decode(envelope["signature"])
            seq, digest, key_id = int(statement["seq"]), statement["hash"], statement["keyId"]
        except (ValueError, KeyError, TypeError) as error:
            problems.append(f"checkpoint {name} cannot be read: {error}")
            continue
        if key_id not in keys:
            print(f"  checkpoint {name} (seq {seq}) is signed by key {key_id}, which is not among the audit keys: not counted")
            continue
        if not openssl_verifies(keys[key_id], statement_text.encode("utf-8"), signature):
            problems.append(f"checkpoint {name} claims seq {seq} but its signature does not verify: forged or altered")
            continue
        if signed.get(seq, digest) != digest:
            problems.append(f"two validly signed checkpoints disagree about seq {seq}")
        signed[seq] = digest
        print(f"  checkpoint seq {seq}: signature verified (key {key_id})")

    covered = {}  # seq -> hash, for events inside a segment that ends in a verified checkpoint
    for path in sorted(glob.glob(os.path.join(folder, "chain", "*.jsonl"))):
        name = os.path.basename(path)
        events = [json.loads(line.decode("utf-8")) for line in read_lines(path)]
        if not events:
            problems.append(f"segment {name} is empty")
            continue
        ok, previous = True, None
        for event in events:
            prev = bytes.fromhex(event["prevHash"])
            if previous is not None:
                if event["seq"] != previous["seq"] + 1:
                    problems.append(f"segment {name}: event {event['seq']} follows {previous['seq']}: events are missing or out of order")
                    ok = False
                if event["prevHash"] != previous["hash"]:
                    problems.append(f"segment {name}: event {event['seq']} does not link to event {previous['seq']} (BrokenLink)")
                    ok = False
            if event_hash(event, prev) != event["hash"]:
                problems.append(f"segment {name}: event {event['seq']} does not hash to its stored hash: it was changed (HashMismatch)")
                ok = False
            if event["seq"] in signed and signed[event["seq"]] != event["hash"]:
                problems.append(f"segment {name}: event {event['seq']} is not the event the checkpoint signed (CheckpointMismatch)")
                ok = False
            previous = event
        last = events[-1]
        if last["seq"] not in signed:
            problems.append(f"segment {name} ends at seq {last['seq']}, where no verified checkpoint is")
            ok = False
        if ok:
            for event in events:
                covered[event["seq"]] = event["hash"]
            print(f"  segment {events[0]['seq']}..{last['seq']}: {len(events)} events, linked, every hash recomputed, ends in a signed checkpoint")

    uncovered = []
    events_path = os.path.join(folder, "events.jsonl")
    custody = [json.loads(line.decode("utf-8")) for line in read_lines(events_path)] if os.path.exists(events_path) else []
    for event in custody:
        if event_hash(event, bytes.fromhex(event["prevHash"])) != event["hash"]:
            problems.append(f"custody event {event['seq']} ({event['action']}) does not hash to its stored hash: it was changed")
        elif event["seq"] in covered:
            if covered[event["seq"]] != event["hash"]:
                problems.append(f"custody event {event['seq']} differs from the chain segment that covers it")
        else:
            uncovered.append(event["seq"])
    print(f"  custody events: {len(custody)}, proven part of the signed chain: {len(custody) - len(uncovered)}")
    if uncovered:
        print(f"  not covered by a verified checkpoint (recorded after the last one, or no audit key): seq {', '.join(map(str, uncovered))}")

    for problem in problems:
        print(f"  CHAIN PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
