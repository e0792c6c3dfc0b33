"""The web face: the war-room dashboard and the ingest API (FastAPI)."""
