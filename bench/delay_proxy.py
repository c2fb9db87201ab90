#!/usr/bin/env python3
"""A TCP proxy on loopback that delays each direction by a fixed one-way time and counts client turns.

This kernel has no netem, so round-trip time is injected here: every chunk read from one side is written to
the other side `delay` seconds later, in order. A *client turn* is a burst of client-to-server bytes with no
server-to-client bytes between its parts, counted as the proxy sees the bytes arrive, the same definition as
jsmtp's Session.clientTurns() (writes between two reads). When a connection ends, one JSON line with its
counts is appended to the stats file.

usage: delay_proxy.py LISTEN_PORT TARGET_HOST TARGET_PORT ONE_WAY_DELAY_MS STATS_FILE
"""
import asyncio
import json
import sys


class Link:
    def __init__(self):
        self.client_turns = 0
        self.server_turns = 0
        self.c2s = 0
        self.s2c = 0
        self.last = None  # 'c' or 's': who sent the latest bytes


async def pump(reader, writer, delay, link, side):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        try:
            writer.write_eof()
        except (OSError, RuntimeError):
            pass

    task = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(1 << 16)
            if not data:
                break
            if link.last != side:
                if side == 'c':
                    link.client_turns += 1
                else:
                    link.server_turns += 1
                link.last = side
            if side == 'c':
                link.c2s += len(data)
            else:
                link.s2c += len(data)
            await queue.put((loop.time() + delay, data))
    except (ConnectionError, OSError):
        pass
    await queue.put((0, None))
    try:
        await task
    except (ConnectionError, OSError):
        pass


async def main():
    listen_port, host, port, delay_ms, stats = sys.argv[1:6]
    delay = float(delay_ms) / 1000.0

    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(host, int(port))
        except OSError:
            client_writer.close()
            return
        link = Link()
        await asyncio.gather(pump(client_reader, server_writer, delay, link, 'c'),
                             pump(server_reader, client_writer, delay, link, 's'))
        for w in (client_writer, server_writer):
            w.close()
        with open(stats, 'a') as f:
            f.write(json.dumps({'client_turns': link.client_turns, 'server_turns': link.server_turns,
                                'c2s_bytes': link.c2s, 's2c_bytes': link.s2c}) + '\n')

    server = await asyncio.start_server(handle, '127.0.0.1', int(listen_port))
    async with server:
        await server.serve_forever()


if __name__ == '__main__':
    asyncio.run(main())
