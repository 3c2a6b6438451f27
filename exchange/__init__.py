"""The labor exchange project package and its shared core app."""

from exchange.celery import app as celery_app

__all__ = ("celery_app",)
