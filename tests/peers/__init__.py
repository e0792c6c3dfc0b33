"""Loopback peers (回环对端): real servers on 127.0.0.1 that behave as the providers do, for tests and benches."""
