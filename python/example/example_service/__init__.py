"""
A minimal Django service that authenticates server-to-server requests with asymmetric_jwt_auth.

The project (settings, urls, wsgi); keys are registered with asymmetric_jwt_auth's ``add_public_key``
management command. scripts/demo.sh runs it; README.md explains each part.
"""
