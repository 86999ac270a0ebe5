"""Tend's storage: encrypted records of letters, check-ins and escalations.

`crypto` (the key and the sender hash), `models` (tables), `database` (engines,
`Storage`, `StorageUnavailable`), `repository` (the functions actions call),
`migrations` (Alembic upgrade), `tracker_store` (Rasa's events, encrypted).
"""
