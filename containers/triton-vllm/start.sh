#!/usr/bin/env bash
# Writes a one-model repository ("model", vLLM backend) from the environment and starts Triton's HTTP
# endpoint on 8080: POST /v2/models/model/generate, health at /v2/health/ready.
set -euo pipefail
repo=/tmp/model_repository/model
mkdir -p "$repo/1"
cat > "$repo/config.pbtxt" <<PBTXT
backend: "vllm"
instance_group [{ count: 1, kind: KIND_MODEL }]
PBTXT
python3 - "$repo/1/model.json" <<'PY'
import json, os, sys
json.dump({
    "model": os.environ["MODEL_ID"],
    "tensor_parallel_size": int(os.environ.get("TENSOR_PARALLEL_SIZE", "1")),
    "max_num_seqs": int(os.environ.get("MAX_NUM_SEQS", "8")),
    "max_model_len": int(os.environ.get("MAX_MODEL_LEN", "8192")),
    "trust_remote_code": os.environ.get("TRUST_REMOTE_CODE", "false") == "true",
    "gpu_memory_utilization": float(os.environ.get("GPU_MEMORY_UTILIZATION", "0.9")),
}, open(sys.argv[1], "w"))
PY
exec tritonserver --model-repository=/tmp/model_repository --http-port=8080 --grpc-port=8001 --metrics-port=8002 "$@"
