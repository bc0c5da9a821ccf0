"""moto's DynamoDB/SES server for the tests, serving one request at a time.

moto's own `moto_server` handles requests on threads without locking its backends,
so a conditional write is not atomic against a concurrent one there; real DynamoDB's
are. Serving requests one at a time restores that guarantee (the clients still race),
so the race tests prove our conditions, not moto's thread scheduling.

moto makes a transaction undoable by deep-copying the whole table once per item of
the transaction: quadratic in a write of the read model (an invite, its ledger, ~40
list entries, counters) over a table of thousands of items, seconds per write. Here a
transaction backs up only the items it names and puts them back if it is cancelled,
which is the same all-or-nothing outcome.
"""

import copy
import sys
import types

import moto.dynamodb.models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

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
    backups = []
    for entry in transact_items:
        _, op = next(iter(entry.items()))
        try:
            key = _key_of(self, op)
            current = self.get_item(op["TableName"], key)
        except Exception:  # an unknown table or a bad key: the original reports it
            continue
        attributes = copy.deepcopy(current.to_json()["Attributes"]) if current else None
        backups.append((op["TableName"], key, attributes))
    dynamodb_models.copy = _no_copy
    try:
        return _transact_write_items(self, transact_items)
    except Exception:
        for table_name, key, attributes in reversed(backups):
            if attributes is None:
                self.delete_item(table_name, key)
            else:
                self.put_item(table_name, attributes)
        raise
    finally:
        dynamodb_models.copy = copy


DynamoDBBackend.transact_write_items = transact_write_items

host, port = sys.argv[1], int(sys.argv[2])
app = DomainDispatcherApplication(create_backend_app)
run_simple(host, port, app, threaded=False, use_reloader=False, use_debugger=False)
