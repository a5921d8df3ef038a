#!/usr/bin/env bash
# One-model repository ("model", Python backend) for ENCODER_TYPE and Triton's HTTP endpoint on 8080:
# POST /v2/models/model/infer with what the shipped encoder configs send (see encoder_io.py).
# MAX_NUM_SEQS is the dynamic batch size (8; 1 when MODEL_ID lists several models).
set -euo pipefail
: "${MODEL_ID:?set MODEL_ID}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(mktemp -d /tmp/model_repository.XXXXXX)"
mkdir -p "$root/model/1"
cp "$here/model.py" "$here/encoder_io.py" "$here/encoder_heads.py" "$root/model/1/"
kind=KIND_GPU
[ "${DEVICE:-cuda}" = "cuda" ] || kind=KIND_CPU
export ENCODER_TYPE="${ENCODER_TYPE:-embeddings}" MAX_MODEL_LEN="${MAX_MODEL_LEN:-512}"
python3 "$here/encoder_io.py" config "$ENCODER_TYPE" "${MAX_NUM_SEQS:-8}" "$kind" > "$root/model/config.pbtxt"
exec tritonserver --model-repository="$root" --http-port=8080 --grpc-port=8001 --metrics-port=8002 "$@"
