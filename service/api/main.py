"""The API router: every resource router under ``/api/v1`` (one registry list)."""

from __future__ import annotations

from fastapi import APIRouter

from service.api import alerts, audit, auth, catalog, graph, imports, observations, targets, tasks

ROUTERS = [auth.router, catalog.router, targets.router, tasks.router, observations.router,
           alerts.router, graph.router, audit.router, imports.router]


def build_router() -> APIRouter:
    api = APIRouter(prefix="/api/v1")
    for router in ROUTERS:
        api.include_router(router)
    return api
