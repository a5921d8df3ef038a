"""Puts the LiteLLM stand-in and containers/litellm on the import path, and runs a loopback target
(aiohttp) that speaks OpenAI chat, Triton generate / generate_stream / infer and DJL LMI invocations,
recording every request."""
import asyncio
import json
import sys
import threading
from pathlib import Path

import pytest
from aiohttp import web

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "stand_in"))
sys.path.insert(0, str(HERE.parents[1] / "containers" / "litellm"))

WORDS = ["Hello", " wide", " world"]


def _sse(events):
    return "".join(f"data: {e if isinstance(e, str) else json.dumps(e)}\n\n" for e in events)


async def _stream(request, content_type, text):
    reply = web.StreamResponse(headers={"Content-Type": content_type})
    await reply.prepare(request)
    for part in text:
        await reply.write(part.encode())
        await asyncio.sleep(0.002)
    await reply.write_eof()
    return reply


def _chat(body):
    if body.get("stream"):
        events = [{"choices": [{"index": 0, "delta": {"role": "assistant"}}]}]
        events += [{"choices": [{"index": 0, "delta": {"content": w}, "finish_reason": None}]} for w in WORDS]
        events += [{"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}]
        events += [{"choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}}, "[DONE]"]
        return [_sse([e]) for e in events]
    return {
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(WORDS)}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10},
    }


class Target:
    def __init__(self):
        self.requests = []
        self.url = ""
        self._loop = asyncio.new_event_loop()
        self._runner = None

    async def _handle(self, request):
        raw = await request.read()
        body = json.loads(raw) if raw else {}
        self.requests.append({"path": request.path, "headers": dict(request.headers), "body": body})
        path = request.path
        if path == "/fail":
            return web.json_response({"error": "overloaded"}, status=503)
        if path == "/v1/chat/completions":
            reply = _chat(body)
            return await _stream(request, "text/event-stream", reply) if body.get("stream") else web.json_response(reply)
        if path.endswith("/generate_stream"):
            return await _stream(request, "text/event-stream", [_sse([{"text_output": w}]) for w in WORDS])
        if path.endswith("/generate"):
            return web.json_response({"model_name": "m", "text_output": "".join(WORDS)})
        if path.endswith("/infer"):
            return web.json_response({"outputs": [{"name": "output", "datatype": "BYTES", "shape": [1], "data": ["".join(WORDS)]}]})
        if path == "/invocations":
            if "messages" in body:
                reply = _chat(body)
                return await _stream(request, "text/event-stream", reply) if body.get("stream") else web.json_response(reply)
            details = {"generated_tokens": 3, "finish_reason": "length"}
            if body.get("stream"):
                lines = [{"token": {"text": w}} for w in WORDS]
                lines += [{"token": {"text": "</s>", "special": True}}, {"token": {"text": ""}, "generated_text": "".join(WORDS), "details": details}]
                return await _stream(request, "application/jsonlines", [json.dumps(line) + "\n" for line in lines])
            return web.json_response({"generated_text": "".join(WORDS), "details": details})
        return web.json_response({"error": "no such route"}, status=404)

    def start(self):
        ready = threading.Event()

        def run():
            asyncio.set_event_loop(self._loop)
            app = web.Application()
            app.router.add_route("POST", "/{tail:.*}", self._handle)
            self._runner = web.AppRunner(app)
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            self._loop.run_until_complete(site.start())
            port = site._server.sockets[0].getsockname()[1]
            self.url = f"http://127.0.0.1:{port}"
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        ready.wait(10)

    def stop(self):
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


@pytest.fixture(scope="session")
def target():
    server = Target()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def env(monkeypatch):
    for name in ("ENDPOINT_URL", "TEMPLATE", "TEMPLATE_KEYS", "CUSTOM_HEADERS", "RESPONSE_TEXT_PATH", "MODEL", "MODEL_ID", "CONTENT_TYPE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch
