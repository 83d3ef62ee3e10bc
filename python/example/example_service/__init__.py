"""
A minimal Django service that authenticates server-to-server requests with asymmetric_jwt_auth.

It is both the project (settings, urls, wsgi) and an installed app (for its ``add_public_key``
management command). scripts/demo.sh runs it; README.md explains each part.
"""
