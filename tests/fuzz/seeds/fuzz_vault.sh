#!/bin/sh
# Seeds for fuzz_vault: the committed vault and a payload.
cp tests/fixtures/vault/v1.vault "$1/seed-v1.vault"
printf '%s' '{"format":1,"default":"a","profiles":[{"name":"a","access_key_id":"LTAIx","access_key_secret":"s3cr3t-value","region":"cn-shanghai","instance_id":"iot-1","endpoint":"https://e","readonly":true}]}' \
    > "$1/seed-payload.json"
