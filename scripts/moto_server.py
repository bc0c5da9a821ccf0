"""moto's DynamoDB/SES server for the tests, serving one request at a time.

moto's own `moto_server` handles requests on threads without locking its backends,
so a conditional write is not atomic against a concurrent one there; real DynamoDB's
are. Serving requests one at a time restores that guarantee (the clients still race),
so the race tests prove our conditions, not moto's thread scheduling.

Serving one at a time, moto queues the requests of a burst, and on a loaded machine a
request can wait in that queue longer than the SDK's attempt timeout. The SDK then
gives up on it, closes the connection and sends the attempt again. moto would still run
the abandoned request when its turn came, and commit a write nobody waits for: the
retry then meets its own earlier write, an ambiguous commit made by the emulator's
queue, not by the service (lost replies are injected on purpose, by the tests' fault
proxy, which keeps its connection open). So a request whose client has hung up by the
time its turn comes is not run; each is counted on stderr.

moto backs up a table before each TransactWriteItems by deep-copying it, stream
records included: with the stream every table has (shared/src/dynamo/table.rs), each
transaction would copy every record the table ever streamed, and a busy test's table
grows slower with each write until requests time out. The copy shares the stream's
records instead; nothing here reads a stream back from moto.
"""

import copy
import io
import socket
import sys

from moto.dynamodb.models.table import StreamShard
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple


def hung_up(connection: socket.socket) -> bool:
    """Whether the client has closed the connection (its request already read)."""
    try:
        return connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


class SkipAbandoned:
    def __init__(self, app):
        self.app = app
        self.skipped = 0

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(length))
        connection = environ.get("werkzeug.socket")
        if connection is not None and hung_up(connection):
            self.skipped += 1
            print(f"skipped a request whose client hung up ({self.skipped} so far)", file=sys.stderr, flush=True)
            start_response("499 Client Closed Request", [("Content-Length", "0")])
            return [b""]
        return self.app(environ, start_response)


def _share_stream_records(self, memo):
    clone = copy.copy(self)
    clone.table = memo.get(id(self.table), self.table)
    return clone


StreamShard.__deepcopy__ = _share_stream_records

host, port = sys.argv[1], int(sys.argv[2])
app = SkipAbandoned(DomainDispatcherApplication(create_backend_app))
run_simple(host, port, app, threaded=False, use_reloader=False, use_debugger=False)
