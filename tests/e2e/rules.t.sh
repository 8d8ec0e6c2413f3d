#!/bin/sh
# tests/e2e/rules.t.sh — every finding rule the sources emit has a Vietnamese
# name in the configuration `dtbd config` prints (the `rules:` map), so the
# feedback to units (phan-hoi/) and the Kiểm tra sheet never show a bare code.
# The codes are found in the sources (rules_in_code.py: the rule argument of
# every results_add_finding / rec_finding call), not listed by hand.
set -u
fail() { echo "rules.t.sh: $*" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 tests/e2e/rules_in_code.py . > "$tmp/emitted" || fail "cannot list the rule codes of the sources"
[ "$(wc -l < "$tmp/emitted")" -ge 40 ] || fail "only $(wc -l < "$tmp/emitted") rule codes found in the sources"
$DTBD_WRAP "$DTBD" config > "$tmp/cfg.yaml" || fail "dtbd config exited $?"
# the rules: map — "  code: name" lines up to the next top-level key
awk '/^rules:/ {on=1; next} /^[^ #]/ {on=0} on && /^  [a-z][a-z0-9_]*: *[^ ]/ {sub(/^  /, ""); print}' \
  "$tmp/cfg.yaml" > "$tmp/named"
cut -d: -f1 "$tmp/named" | sort > "$tmp/codes"
missing=$(sort "$tmp/emitted" | comm -23 - "$tmp/codes")
[ -z "$missing" ] || fail "rule codes without a Vietnamese name in config/default.yaml rules: $(echo $missing)"
grep -qx 'not_a_number: Không phải là số' "$tmp/named" || fail "not_a_number is not named \"Không phải là số\""
exit 0
