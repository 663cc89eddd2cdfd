#!/bin/sh
# Seeds for fuzz_config: the shipped themes and keymaps, the config fixtures.
for f in themes/* keymaps/* tests/fixtures/config/*; do
    [ -f "$f" ] && cp "$f" "$1/seed-$(echo "$f" | tr / -)"
done
true
