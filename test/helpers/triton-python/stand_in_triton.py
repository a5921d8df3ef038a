"""Stand-in for `tritonserver` with one Python-backend model, for contract tests without the image.
Run as the image's start script runs tritonserver (it is put on PATH under that name):
    tritonserver --model-repository=<dir> [other flags, ignored]
It reads <dir>/model/config.pbtxt as start.sh wrote it, loads <dir>/model/1/model.py with the stand-in
triton_python_backend_utils beside this file, and answers KServe v2 HTTP on 127.0.0.1 (port from
STAND_IN_PORT, 0 = any free one; printed as "listening <port>"):
  GET  /v2/health/ready, GET /v2/models/model
  POST /v2/models/model/infer      one request; inputs checked against config.pbtxt as Triton does
                                   (names, datatypes, shapes with the batch dimension, element counts)
  POST /stand-in/batch             a JSON list of infer bodies run in ONE execute() call, as the
                                   dynamic batcher would; a list of replies (status, body)
"""
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
TYPES = {"TYPE_STRING": "BYTES", "TYPE_FP32": "FP32", "TYPE_INT32": "INT32"}


def parse_config(text):
    def entries(section):
        block = re.search(section + r"\s*\[(.*?)\n\]", text, re.S)
        out = []
        for m in re.finditer(r'\{\s*name:\s*"([^"]+)",\s*data_type:\s*(\w+),\s*dims:\s*\[([^\]]*)\](,\s*optional:\s*true)?\s*\}',
                             block.group(1) if block else ""):
            out.append({"name": m.group(1), "datatype": TYPES[m.group(2)],
                        "dims": [int(d) for d in m.group(3).split(",") if d.strip()], "optional": bool(m.group(4))})
        return out
    batch = re.search(r"max_batch_size:\s*(\d+)", text)
    return {"max_batch_size": int(batch.group(1)) if batch else 0, "inputs": entries("input"),
            "outputs": entries("output")}


def flat(values):
    if isinstance(values, list):
        out = []
        for v in values:
            out.extend(flat(v))
        return out
    return [values]


class BadRequest(Exception):
    pass


def shape_ok(shape, dims, max_batch):
    if max_batch > 0:
        if len(shape) != len(dims) + 1 or not 1 <= shape[0] <= max_batch:
            return False
        shape = shape[1:]
    return len(shape) == len(dims) and all(d == -1 or d == s for d, s in zip(dims, shape))


def to_request(body, config, np, pb):
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list):
        raise BadRequest("request has no 'inputs' list")
    declared = {i["name"]: i for i in config["inputs"]}
    tensors = []
    for raw in body["inputs"]:
        name = raw.get("name")
        spec = declared.get(name)
        if spec is None:
            raise BadRequest(f"unexpected inference input '{name}' for model 'model'")
        if raw.get("datatype") != spec["datatype"]:
            raise BadRequest(f"input '{name}' datatype {raw.get('datatype')} but model expects {spec['datatype']}")
        shape = raw.get("shape")
        if not isinstance(shape, list) or not shape_ok(shape, spec["dims"], config["max_batch_size"]):
            raise BadRequest(f"input '{name}' shape {shape} does not match dims {spec['dims']} "
                             f"(max_batch_size {config['max_batch_size']})")
        data = flat(raw.get("data", []))
        count = 1
        for n in shape:
            count *= n
        if len(data) != count:
            raise BadRequest(f"input '{name}' has {len(data)} elements but shape {shape} needs {count}")
        if spec["datatype"] == "BYTES":
            if not all(isinstance(v, str) for v in data):
                raise BadRequest(f"input '{name}' BYTES elements must be strings")
            array = np.array([v.encode("utf-8") for v in data], dtype=np.object_).reshape(shape)
        else:
            array = np.array(data, dtype=np.float32).reshape(shape)
        tensors.append(pb.Tensor(name, array))
    given = {t.name() for t in tensors}
    missing = [i["name"] for i in config["inputs"] if not i["optional"] and i["name"] not in given]
    if missing:
        raise BadRequest(f"expected inputs {missing} are missing")
    return pb.InferenceRequest(tensors)


def to_reply(response, config):
    if response.has_error():
        return 400, {"error": response.error().message()}
    declared = {o["name"]: o for o in config["outputs"]}
    outputs = []
    for tensor in response.output_tensors():
        spec = declared.get(tensor.name())
        if spec is None:
            return 500, {"error": f"model returned undeclared output '{tensor.name()}'"}
        array = tensor.as_numpy()
        shape = list(array.shape)
        if not shape_ok(shape, spec["dims"], config["max_batch_size"]):
            return 500, {"error": f"output '{tensor.name()}' shape {shape} does not match dims {spec['dims']}"}
        dtype = str(array.dtype)
        expected = {"FP32": "float32", "INT32": "int32"}[spec["datatype"]]
        if dtype != expected:
            return 500, {"error": f"output '{tensor.name()}' is {dtype}, config says {spec['datatype']}"}
        outputs.append({"name": tensor.name(), "datatype": spec["datatype"], "shape": shape,
                        "data": flat(array.tolist())})
    return 200, {"model_name": "model", "model_version": "1", "outputs": outputs}


def main():
    repo = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--model-repository=")), None)
    if repo is None:
        print("stand-in tritonserver: --model-repository=<dir> is required", file=sys.stderr)
        sys.exit(2)
    model_dir = os.path.join(repo, "model")
    with open(os.path.join(model_dir, "config.pbtxt")) as f:
        config = parse_config(f.read())
    sys.path[:0] = [os.path.join(model_dir, "1"), HERE]
    try:
        import numpy as np  # noqa: F401
    except ImportError:
        sys.path.append(os.path.join(HERE, "numpy-stand-in"))
    import numpy as np
    import triton_python_backend_utils as pb
    import model as model_module

    model = model_module.TritonPythonModel()
    model.initialize({"model_config": json.dumps(config), "model_name": "model"})

    lock = threading.Lock()  # one model instance: execute() calls never overlap, as in Triton

    def infer(bodies):
        with lock:
            return run(bodies)

    def run(bodies):
        replies = [None] * len(bodies)
        requests, slots = [], []
        for i, body in enumerate(bodies):
            try:
                requests.append(to_request(body, config, np, pb))
                slots.append(i)
            except BadRequest as error:
                replies[i] = (400, {"error": str(error)})
        if requests:
            responses = model.execute(requests)
            if len(responses) != len(requests):
                raise RuntimeError(f"execute returned {len(responses)} responses for {len(requests)} requests")
            for i, response in zip(slots, responses):
                replies[i] = to_reply(response, config)
        return replies

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def send(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/v2/health/ready":
                return self.send(200, {})
            if self.path == "/v2/models/model":
                return self.send(200, {"name": "model", "versions": ["1"], "platform": "python",
                                       "inputs": [{"name": i["name"], "datatype": i["datatype"],
                                                   "shape": ([-1] if config["max_batch_size"] else []) + i["dims"]}
                                                  for i in config["inputs"]]})
            self.send(404, {"error": "not found"})

        def do_POST(self):
            length = int(self.headers.get("content-length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"null")
            except ValueError as error:
                return self.send(400, {"error": f"failed to parse the request JSON: {error}"})
            if self.path == "/v2/models/model/infer":
                status, reply = infer([body])[0]
                return self.send(status, reply)
            if self.path == "/stand-in/batch" and isinstance(body, list):
                return self.send(200, [{"status": s, "body": b} for s, b in infer(body)])
            self.send(404, {"error": f"unknown path {self.path}"})

    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("STAND_IN_PORT", "0"))), Handler)
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
