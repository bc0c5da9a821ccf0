"""moto's DynamoDB/SES server for the tests, serving one request at a time.

moto's own `moto_server` handles requests on threads without locking its backends,
so a conditional write is not atomic against a concurrent one there; real DynamoDB's
are. Serving requests one at a time restores that guarantee (the clients still race),
so the race tests prove our conditions, not moto's thread scheduling.
"""

import sys

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

host, port = sys.argv[1], int(sys.argv[2])
app = DomainDispatcherApplication(create_backend_app)
run_simple(host, port, app, threaded=False, use_reloader=False, use_debugger=False)
