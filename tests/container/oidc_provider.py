"""The test OpenID Connect provider as a service of the compose stack (tests/test_stack_class.py).

oidc-provider-mock (the same package as tests/oidc_support.py) served over HTTPS with the test
certificate, inside the app image with the test environment's site-packages mounted read-only.
In the stack, the mentors' server reaches it by its service name on the stack's network and
Chromium at the port published on 127.0.0.1: no traffic from a container to the host, which a
machine's firewall may drop. Settings from the environment: OIDC_PORT, OIDC_ACCOUNTS (JSON,
subject → claims), OIDC_CERTS (the folder with fullchain.pem and privkey.pem).
"""

import json
import os

import werkzeug.serving
from oidc_provider_mock import User, app

accounts = json.loads(os.environ["OIDC_ACCOUNTS"])
certs = os.environ["OIDC_CERTS"]
werkzeug.serving.run_simple(
    "0.0.0.0",
    int(os.environ["OIDC_PORT"]),
    app(user_claims=[User(sub=s, claims=dict(c)) for s, c in accounts.items()]),
    threaded=True,
    ssl_context=(f"{certs}/fullchain.pem", f"{certs}/privkey.pem"),
)
