"""moto's DynamoDB/SES server for the tests, serving one request at a time.

moto's own `moto_server` handles requests on threads without locking its backends,
so a conditional write is not atomic against a concurrent one there; real DynamoDB's
are. Serving requests one at a time restores that guarantee (the clients still race),
so the race tests prove our conditions, not moto's thread scheduling.

moto backs up a table before each TransactWriteItems by deep-copying it, stream
records included: with the stream every table has (shared/src/dynamo/table.rs), each
transaction would copy every record the table ever streamed, and a busy test's table
grows slower with each write until requests time out. The copy shares the stream's
records instead; nothing here reads a stream back from moto.
"""

import copy
import sys

from moto.dynamodb.models.table import StreamShard
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple


def _share_stream_records(self, memo):
    clone = copy.copy(self)
    clone.table = memo.get(id(self.table), self.table)
    return clone


StreamShard.__deepcopy__ = _share_stream_records

host, port = sys.argv[1], int(sys.argv[2])
app = DomainDispatcherApplication(create_backend_app)
run_simple(host, port, app, threaded=False, use_reloader=False, use_debugger=False)
