"""Tend's checks of the files practitioners edit, explained in plain words.

Each module holds one kind of check, written as small functions that take the
loaded project (`bot.checks.project`) and return `Problem` records. `make check`
(`bot/cli/check.py`) runs them all, together with Rasa's own validation.
"""
