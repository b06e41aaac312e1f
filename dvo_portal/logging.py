"""Structured request logging: one JSON line per request (method, path, status, duration,
user id), for whatever collects the app servers' output."""

import json
import logging
import time

logger = logging.getLogger("dvo_portal.requests")


class JsonFormatter(logging.Formatter):
    FIELDS = ("method", "path", "status", "duration_ms", "user", "htmx")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in self.FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        return json.dumps(entry, ensure_ascii=False)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                "user": user.pk if user is not None and user.is_authenticated else None,
                "htmx": bool(request.headers.get("HX-Request")),
            },
        )
        return response
