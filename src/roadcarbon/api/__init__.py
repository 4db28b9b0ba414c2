"""The REST API (FastAPI, ``/api/v1``): thin routers over :mod:`roadcarbon.services`."""

from roadcarbon.api.app import create_app

__all__ = ["create_app"]
