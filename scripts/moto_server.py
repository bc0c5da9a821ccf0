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

moto makes a transaction undoable by deep-copying the whole table once per item of
the transaction: quadratic in a write of the read model (an invite, its ledger, ~40
list entries, counters) over a table of thousands of items, seconds per write. Here a
transaction backs up only the items it names and puts them back if it is cancelled,
which is the same all-or-nothing outcome.

moto also answers every Query by sorting every item of the table. Here a Query sees
only the items of its partition: of the table's for a base-table query, of the index's
for an index query (grouped once per attribute and kept until the table next changes).
The answer is the same; a list test over thousands of list entries stops timing out.
And a Scan with a filter deep-copies every item of the table before filtering; here it
filters first (its ScannedCount then counts only the items that passed). An item's
400 KB check re-sums every attribute's size each time one is set; here it keeps a
running total.
"""

import copy
import io
import socket
import sys
import types

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models import dynamo_type
from moto.dynamodb.models.table import StreamShard, Table
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


_transact_write_items = DynamoDBBackend.transact_write_items
# What the original sees as `copy`: its whole-table backups become references.
_no_copy = types.SimpleNamespace(deepcopy=lambda value: value)


def _key_of(backend, op):
    table = backend.get_table(op["TableName"])
    if "Key" in op:
        return op["Key"]
    item = op["Item"]
    key = {table.hash_key_attr: item[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = item[table.range_key_attr]
    return key


def transact_write_items(self, transact_items):
    # A put or delete replaces the stored item object, so keeping a reference to it is a
    # backup; an update changes it in place, so that one is copied.
    backups = []
    for entry in transact_items:
        kind, op = next(iter(entry.items()))
        try:
            key = _key_of(self, op)
            current = self.get_item(op["TableName"], key)
        except Exception:  # an unknown table or a bad key: the original reports it
            continue
        if current is not None and kind == "Update":
            current = copy.deepcopy(current)
        backups.append((op["TableName"], key, current))
    dynamodb_models.copy = _no_copy
    try:
        return _transact_write_items(self, transact_items)
    except Exception:
        for table_name, key, item in reversed(backups):
            if item is None:
                self.delete_item(table_name, key)
            else:
                self.put_item(table_name, item.to_json()["Attributes"])
        raise
    finally:
        dynamodb_models.copy = copy


DynamoDBBackend.transact_write_items = transact_write_items


def _size_of(value):
    return value.size() if type(value) is dynamo_type.DynamoType else dynamo_type.bytesize(str(value))


def _set_sized(self, key, value):
    size = self.__dict__.get("_size")
    if size is None:
        size = sum(dynamo_type.bytesize(k) + _size_of(v) for k, v in dict.items(self))
    old = dynamo_type.bytesize(key) + _size_of(dict.__getitem__(self, key)) if key in self else 0
    size += dynamo_type.bytesize(key) + _size_of(value) - old
    if size > 405000:
        raise dynamo_type.ItemSizeTooLarge
    dict.__setitem__(self, key, value)
    self.__dict__["_size"] = size


dynamo_type.LimitedSizeDict.__setitem__ = _set_sized


def _changed(table):
    table.__dict__["_writes"] = table.__dict__.get("_writes", 0) + 1


def _changing(method):
    def wrapper(self, *args, **kwargs):
        _changed(self)
        return method(self, *args, **kwargs)

    return wrapper


Table.put_item = _changing(Table.put_item)
Table.delete_item = _changing(Table.delete_item)
_update_item = DynamoDBBackend.update_item


def update_item(self, table_name, *args, **kwargs):
    _changed(self.get_table(table_name))
    return _update_item(self, table_name, *args, **kwargs)


DynamoDBBackend.update_item = update_item
_query = Table.query
_all_items = Table.all_items


def _partition(table, hash_key, index_name, conditions):
    """The items a query can return, in `all_items` order; None: all of them."""
    if index_name is None:
        if hash_key is None:
            return None
        found = table.items.get(hash_key)
        if found is None:
            return []
        items = list(found.values()) if table.range_key_attr else [found]
        return sorted(items, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)
    if not conditions:
        return None
    attribute, value = conditions[0]
    writes = table.__dict__.get("_writes", 0)
    groups = table.__dict__.setdefault("_groups", {})
    cached = groups.get(attribute)
    if cached is None or cached[0] != writes:
        grouped = {}
        for item in _all_items(table):
            key = item.attrs.get(attribute)
            if key is not None:
                grouped.setdefault(key, []).append(item)
        cached = (writes, grouped)
        groups[attribute] = cached
    return cached[1].get(value, [])


def query(self, hash_key, *args, **kwargs):
    # The backend passes `index_name` as the eighth positional argument.
    index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
    narrowed = _partition(self, hash_key, index_name, kwargs.get("hash_key_conditions"))
    if narrowed is None:
        return _query(self, hash_key, *args, **kwargs)
    self.all_items = lambda: narrowed
    try:
        return _query(self, hash_key, *args, **kwargs)
    finally:
        del self.all_items


Table.query = query
_scan = Table.scan


def scan(self, filters, limit, exclusive_start_key, filter_expression=None, index_name=None, *args, **kwargs):
    if filter_expression is None or index_name is not None:
        return _scan(self, filters, limit, exclusive_start_key, filter_expression, index_name, *args, **kwargs)
    passing = [item for item in _all_items(self) if filter_expression.expr(item)]
    self.all_items = lambda: passing
    try:
        return _scan(self, filters, limit, exclusive_start_key, filter_expression, index_name, *args, **kwargs)
    finally:
        del self.all_items


Table.scan = scan

host, port = sys.argv[1], int(sys.argv[2])
app = SkipAbandoned(DomainDispatcherApplication(create_backend_app))
run_simple(host, port, app, threaded=False, use_reloader=False, use_debugger=False)
