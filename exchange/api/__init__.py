"""The plumbing every app's partner API views share: API-key authentication, scopes,
idempotent POSTs, problem-details errors. The URL map is urls.py."""
