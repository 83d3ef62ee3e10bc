"""
The Django fleet service: `python serve.py --name NAME --port PORT --redis-url URL --registry REGISTRY.json --key NAME.pem
[--jwks-file FILE] [--jwks-ttl SECONDS]` (tests/fleet/README.md). Makes a private SQLite database, loads the registry
into it and serves the project with Django's threaded development server on 127.0.0.1:PORT (no autoreload, no checks).
"""

from pathlib import Path
import argparse
import os
import sys
import tempfile


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--jwks-file")
    parser.add_argument("--jwks-ttl", type=int, default=2)
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    with tempfile.TemporaryDirectory(prefix=f"fleet-django-{args.name}-") as data_dir:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="fleetsite.settings",
            FLEET_NAME=args.name,
            FLEET_REDIS_URL=args.redis_url,
            FLEET_KEY=str(Path(args.key).resolve()),
            FLEET_JWKS_FILE=str(Path(args.jwks_file).resolve()) if args.jwks_file else "",
            FLEET_JWKS_TTL=str(args.jwks_ttl),
            FLEET_DB=os.path.join(data_dir, "db.sqlite3"),
        )
        import django
        from django.core.management import call_command
        from django.core.servers.basehttp import run
        from django.core.wsgi import get_wsgi_application

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_registry", args.registry, stdout=sys.stderr)
        print(f"django[{args.name}]: serving on 127.0.0.1:{args.port}", file=sys.stderr, flush=True)
        try:
            run("127.0.0.1", args.port, get_wsgi_application(), threading=True)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main(sys.argv[1:])
