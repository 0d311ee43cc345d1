"""The ``facetcare`` console script.

``facetcare serve``, ``facetcare demo``, ``facetcare bench`` and
``facetcare policy ...`` are FacetCare's own; any other word is handed to
Django's management commands (``facetcare migrate``, ``facetcare createsuperuser``).
"""

import os
import sys
from collections.abc import Callable, Sequence


def _use_facetcare_settings() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facetcare.config.settings")


def _setup_django() -> None:
    _use_facetcare_settings()
    import django

    django.setup()


def _serve(argv: Sequence[str]) -> int:
    import argparse

    from facetcare import serve

    parser = argparse.ArgumentParser(
        prog="facetcare serve", description="Serve FacetCare with gunicorn and a task worker."
    )
    default = os.environ.get("FACETCARE_ADDRESS", serve.DEFAULT_ADDRESS)
    parser.add_argument("address", nargs="?", default=default, help=f"host:port ({default})")
    address = parser.parse_args(list(argv)).address
    try:
        serve.prepare_environment(address)  # before the settings are read
        _setup_django()
        return serve.serve(address)
    except KeyboardInterrupt:  # Ctrl-C before the server was up: nothing to stop
        return 0


def _worker(argv: Sequence[str]) -> int:
    _setup_django()
    from facetcare.worker import main

    return main(argv)


def _demo(argv: Sequence[str]) -> int:
    _setup_django()
    from facetcare.demo.loader import main

    return main(argv)


def _bench(argv: Sequence[str]) -> int:
    _setup_django()
    from facetcare.bench.run import main

    return main(argv)


def _policy(argv: Sequence[str]) -> int:
    # The policy engine is pure: no Django set-up is needed to check a case.
    from facetcare.core.policy.cli import main

    return main(argv)


COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {
    "serve": _serve,
    "worker": _worker,
    "demo": _demo,
    "bench": _bench,
    "policy": _policy,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        return COMMANDS[args[0]](args[1:])
    _use_facetcare_settings()  # Django's own commands set themselves up
    from django.core.management import execute_from_command_line

    execute_from_command_line(["facetcare", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
