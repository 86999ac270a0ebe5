"""Tend's channels: Telegram, the web widget's socket.io, the guard on every message."""
