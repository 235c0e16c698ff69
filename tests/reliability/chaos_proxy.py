"""A TCP proxy on 127.0.0.1 that can cut, slow down or reset what passes through it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass
class ChaosProxy:
    """Forwards 127.0.0.1:`port` to `target_port`.

    `cut()` drops every open connection and refuses new ones until `restore()`;
    `delay` holds each client->server chunk that long (a slow platform);
    `reset_after_forward` forwards the next N requests, then resets the connection before
    the answer comes back (the caller cannot know whether the request took effect).
    """

    target_port: int
    delay: float = 0.0
    reset_after_forward: int = 0
    port: int = 0
    cuts: int = 0
    resets: int = 0
    connections: int = 0
    _down: bool = False
    _server: asyncio.Server | None = None
    _open: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def cut(self) -> None:
        self._down = True
        self.cuts += 1
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    def restore(self) -> None:
        self._down = False

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._down:
            writer.transport.abort()
            return
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self._open |= {writer, up_writer}
        pair = (writer, up_writer)
        await asyncio.gather(
            self._pipe(reader, up_writer, pair, upstream=True),
            self._pipe(up_reader, writer, pair, upstream=False),
            return_exceptions=True,
        )
        self._open -= set(pair)

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        pair: tuple[asyncio.StreamWriter, asyncio.StreamWriter],
        upstream: bool,
    ) -> None:
        try:
            while chunk := await reader.read(65536):
                if upstream and self.delay:
                    await asyncio.sleep(self.delay)
                writer.write(chunk)
                await writer.drain()
                if upstream and self.reset_after_forward > 0:
                    self.reset_after_forward -= 1
                    self.resets += 1
                    await asyncio.sleep(0.2)  # let the server act on it first
                    break
        except OSError:
            pass
        finally:
            # one side ended (or was reset on purpose): the whole connection goes
            for w in pair:
                w.transport.abort()
