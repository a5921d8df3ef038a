"""A vLLM-bench-style streaming client (asyncio + aiohttp, as vllm/benchmarks/backend_request_func.py
reads OpenAI streams): `users` tasks each POST the body with stream true, read SSE lines, JSON-parse
each event and timestamp every chunk that carries content, until `seconds` have passed. Prints one
JSON line: requests, tokens (content chunks), failures, CPU seconds of this process during the run
(imports and session set-up excluded) and wall seconds. Helper of bench/load-user-stream.ts.
Usage: /usr/bin/python3 bench/vllm_style_client.py <url> <body-json-file> <users> <seconds>
"""

import asyncio
import json
import resource
import sys
import time

import aiohttp


async def user(session, url, body, stop_at, totals, itls):
    while time.perf_counter() < stop_at:
        most_recent = start = time.perf_counter()
        ttft = 0.0
        try:
            async with session.post(url, json=body) as response:
                if response.status != 200:
                    totals["failed"] += 1
                    continue
                async for line in response.content:
                    line = line.strip()
                    if not line:
                        continue
                    chunk = line.decode("utf-8").removeprefix("data: ")
                    if chunk == "[DONE]":
                        continue
                    timestamp = time.perf_counter()
                    data = json.loads(chunk)
                    choices = data.get("choices")
                    if choices and (choices[0].get("delta", {}).get("content") or choices[0].get("text")):
                        if ttft == 0.0:
                            ttft = timestamp - start
                        else:
                            itls.append(timestamp - most_recent)
                        most_recent = timestamp
                        totals["tokens"] += 1
            totals["requests"] += 1
        except aiohttp.ClientError:
            totals["failed"] += 1


async def main():
    url, body_file, users, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    with open(body_file, encoding="utf-8") as f:
        body = json.load(f)
    totals = {"requests": 0, "tokens": 0, "failed": 0}
    itls = []
    connector = aiohttp.TCPConnector(limit=users)
    timeout = aiohttp.ClientTimeout(total=6 * 60 * 60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        stop_at = started + seconds
        await asyncio.gather(*(user(session, url, body, stop_at, totals, itls) for _ in range(users)))
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({**totals, "cpu_s": cpu, "wall_s": wall, "itl_count": len(itls)}))


asyncio.run(main())
