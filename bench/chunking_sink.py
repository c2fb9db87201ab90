#!/usr/bin/env python3
"""A discarding SMTP sink on loopback that offers PIPELINING *and* CHUNKING (RFC 2920, RFC 3030).

Postfix 3.7's smtp-sink offers PIPELINING but not CHUNKING, so the one-turn-per-message claim is measured
against this sink instead. It answers every command in order as it reads it (so pipelined commands get their
replies in one flight), takes DATA and BDAT, and throws the content away.

usage: chunking_sink.py PORT
"""
import asyncio
import sys

EHLO = (b'250-chunking-sink\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-8BITMIME\r\n'
        b'250-ENHANCEDSTATUSCODES\r\n250 SIZE 0\r\n')


async def session(reader, writer):
    writer.write(b'220 chunking-sink ESMTP\r\n')
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            words = line.strip().split()
            verb = words[0].upper() if words else b''
            if verb in (b'EHLO', b'HELO'):
                writer.write(EHLO)
            elif verb == b'BDAT':
                await reader.readexactly(int(words[1]))
                writer.write(b'250 2.0.0 Ok: queued\r\n' if len(words) > 2 else b'250 2.0.0 Ok: chunk\r\n')
            elif verb == b'DATA':
                writer.write(b'354 End data with <CR><LF>.<CR><LF>\r\n')
                await writer.drain()
                while True:
                    data = await reader.readline()
                    if not data or data == b'.\r\n':
                        break
                writer.write(b'250 2.0.0 Ok: queued\r\n')
            elif verb == b'QUIT':
                writer.write(b'221 2.0.0 Bye\r\n')
                await writer.drain()
                break
            else:
                writer.write(b'250 2.0.0 Ok\r\n')
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    writer.close()


async def main():
    server = await asyncio.start_server(session, '127.0.0.1', int(sys.argv[1]), limit=1 << 20)
    async with server:
        await server.serve_forever()


if __name__ == '__main__':
    asyncio.run(main())
