"""The one HTTP server: workers on one host share TIGERBIRD_HTTP_PORT; a port another program
holds stops the start with `http: port N is in use`."""

from __future__ import annotations

import socket

import pytest
from aiohttp import ClientSession, web

from bot.app.settings import Settings
from bot.app.startup_errors import StartupError
from bot.app.web import HttpServer, start_http


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_two_workers_share_the_port_and_both_answer() -> None:
    port = free_port()
    servers = []
    for name in ("one", "two"):
        app = web.Application()

        async def hello(request: web.Request, name: str = name) -> web.Response:
            return web.Response(text=name)

        app.router.add_get("/", hello)
        servers.append(HttpServer(app, "127.0.0.1", port))
    settings = Settings(TIGERBIRD_HTTP_PORT=str(port))
    try:
        for server in servers:
            await start_http(server, settings)
        assert [s.bound_port for s in servers] == [port, port]
        async with ClientSession() as client, client.get(f"http://127.0.0.1:{port}/") as answer:
            assert await answer.text() in {"one", "two"}
    finally:
        for server in servers:
            await server.stop()


async def test_a_port_another_program_holds_is_named() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = HttpServer(web.Application(), "127.0.0.1", port)
        with pytest.raises(StartupError) as refused:
            await start_http(server, Settings(TIGERBIRD_HTTP_PORT=str(port)))
    assert str(refused.value) == (
        f"http: port {port} is in use (set TIGERBIRD_HTTP_PORT to a free port)"
    )
