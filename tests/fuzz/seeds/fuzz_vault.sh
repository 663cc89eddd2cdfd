#!/bin/sh
# Seeds for fuzz_vault: the committed vault and a payload.
cp tests/fixtures/vault/v1.vault "$1/seed-v1.vault"
printf '%s' '{"format":1,"default":"a","profiles":[{"name":"a","access_key_id":"LTAIx","access_key_secret":"s3cr3t-value","region":"cn-shanghai","instance_id":"iot-1","endpoint":"https://e","readonly":true}]}' \
    > "$1/seed-payload.json"
printf '%s' '{"format":1,"default":"a","profiles":[{"name":"a","access_key_id":"LTAIx","access_key_secret":"s3cr3t-value"},{"name":"t","kind":"sts","access_key_id":"STS.x","access_key_secret":"s","security_token":"CAIS","expires":1796122800,"signature":"v3"},{"name":"r","kind":"ram_role","role_arn":"acs:ram::1:role/x","source_profile":"a","role_session_name":"deck","duration_seconds":3600,"sts_endpoint":"http://127.0.0.1:1"}]}' \
    > "$1/seed-kinds.json"
