#!/bin/sh
# Seeds for fuzz_response: the guide's answers.
cp tests/fixtures/guide/*.json "$1/" 2>/dev/null || true
