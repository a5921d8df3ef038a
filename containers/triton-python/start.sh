#!/usr/bin/env bash
# One-model repository ("model", Python backend, model.py) and Triton's HTTP endpoint on 8080:
# POST /v2/models/model/infer with a BYTES input "text" (and "text_pair" for the reranker).
set -euo pipefail
repo=/tmp/model_repository/model
mkdir -p "$repo/1"
cp /opt/gait/model.py "$repo/1/model.py"
cat > "$repo/config.pbtxt" <<PBTXT
backend: "python"
max_batch_size: ${MAX_NUM_SEQS:-8}
dynamic_batching { max_queue_delay_microseconds: 2000 }
input [
  { name: "text", data_type: TYPE_STRING, dims: [ 1 ] },
  { name: "text_pair", data_type: TYPE_STRING, dims: [ 1 ], optional: true }
]
output [ { name: "output", data_type: TYPE_STRING, dims: [ 1 ] } ]
instance_group [{ count: 1, kind: KIND_GPU }]
PBTXT
exec tritonserver --model-repository=/tmp/model_repository --http-port=8080 --grpc-port=8001 --metrics-port=8002 "$@"
