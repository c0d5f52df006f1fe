#!/usr/bin/env bash
# verify.sh — checks this export package on any machine, without access to the system that made it.
# Needs bash, openssl and coreutils (sha256sum); with python3 it also checks the chain of custody
# against the signed audit checkpoints (verify-chain.py). Run it from anywhere: bash verify.sh
#
# What it checks, in order (each step can be done by hand with the command shown in README.txt):
#   1. manifest.json carries a valid ECDSA P-256/SHA-256 signature (manifest.sig) by agency-public-key.pem.
#      It prints that key's id: compare it with the key id your agency publishes, or the check proves nothing.
#   2. SHA256SUMS is the one the signed manifest names (its SHA-256 is in manifest.json as "sha256sums").
#   3. Every file listed in SHA256SUMS is present with exactly that SHA-256, and the manifest lists it too.
#   4. No file is in the package that the signed lists do not name.
#   5. With python3: every custody event's hash, the chain segments' links, and the checkpoints' signatures.
# Exit status: 0 every check passed; 1 a check failed (each failure is printed); 2 a needed tool is missing.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")" || exit 2
export LC_ALL=C

for tool in openssl sha256sum grep sed sort find cut comm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: '$tool' is needed to verify this package" >&2; exit 2; }
done

problems=0
fail() { echo "FAILED: $*"; problems=$((problems + 1)); }
ok() { echo "  ok: $*"; }

for fixed in manifest.json manifest.sig agency-public-key.pem SHA256SUMS; do
  [[ -f "$fixed" ]] || { echo "FAILED: $fixed is missing: this is not a complete export package"; exit 1; }
done

echo "1. Signature of manifest.json"
key_id=$(openssl pkey -pubin -in agency-public-key.pem -outform DER 2>/dev/null | sha256sum | cut -d' ' -f1)
echo "  agency key id: $key_id"
echo "  (compare this id with the one your agency publishes; anyone can sign with a key of their own)"
if openssl dgst -sha256 -verify agency-public-key.pem -signature manifest.sig manifest.json >/dev/null 2>&1; then
  ok "manifest.json is signed by this key"
else
  fail "manifest.json does not match its signature manifest.sig under agency-public-key.pem: the manifest, the signature or the key was altered"
fi

echo "2. SHA256SUMS belongs to the signed manifest"
named=$(sed -n 's/^  "sha256sums": "\([0-9a-f]\{64\}\)",\{0,1\}$/\1/p' manifest.json)
if [[ $(printf '%s' "$named" | grep -c .) -ne 1 ]]; then
  fail "manifest.json does not name exactly one SHA-256 for SHA256SUMS"
else
  actual=$(sha256sum SHA256SUMS | cut -d' ' -f1)
  if [[ "$actual" == "$named" ]]; then ok "SHA256SUMS has the SHA-256 the manifest names"; else fail "SHA256SUMS was altered: its SHA-256 is $actual, the signed manifest says $named"; fi
fi

echo "3. Every file against its SHA-256"
if grep -qvE '^[0-9a-f]{64}  [A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$' SHA256SUMS || grep -qE '(^|/)\.\.?(/|$)|  \.\.?(/|$)' SHA256SUMS; then
  fail "SHA256SUMS holds a line that is not '<sha256>  <relative path>' (refusing to check files outside the package)"
else
  listed=$(cut -c67- SHA256SUMS)
  while IFS= read -r path; do
    grep -qF "\"path\": \"$path\"" manifest.json || fail "$path is in SHA256SUMS but not in the signed manifest"
  done <<<"$listed"
  bad=$(sha256sum --check --strict SHA256SUMS 2>/dev/null | grep -v ': OK$')
  if [[ -n "$bad" ]]; then
    while IFS= read -r line; do fail "$line (the file is missing, or its bytes are not the ones that were exported)"; done <<<"$bad"
  else
    ok "$(printf '%s\n' "$listed" | grep -c .) files match their SHA-256"
  fi

  echo "4. Nothing added"
  extra=$(comm -23 <(find . -type f | sed 's|^\./||' | grep -vxF -e manifest.json -e manifest.sig -e agency-public-key.pem -e SHA256SUMS | sort) <(printf '%s\n' "$listed" | sort))
  if [[ -n "$extra" ]]; then
    while IFS= read -r path; do fail "$path is not part of the signed package"; done <<<"$extra"
  else
    ok "every file in the package is named by the signed lists"
  fi
fi

echo "5. Chain of custody against the signed audit checkpoints"
if command -v python3 >/dev/null 2>&1; then
  if python3 verify-chain.py custody; then ok "the chain of custody checks out"; else fail "the chain of custody does not verify (see above)"; fi
else
  echo "  SKIPPED: python3 is not installed, so the audit hash chain was not checked (steps 1-4 still hold)"
fi

echo
if (( problems == 0 )); then
  echo "VERIFIED: this package is exactly what the agency signed (key id $key_id)"
  exit 0
fi
echo "NOT VERIFIED: $problems problem(s) found; do not rely on this package"
exit 1
