"""Tend: a self-compassion companion for inner child work, built on Rasa."""

import os

# Rasa's telemetry and its error reports (Sentry) would try to reach the internet,
# which Tend never does. Every Tend process imports this package first, and the
# Rasa commands it starts inherit the setting.
os.environ["RASA_TELEMETRY_ENABLED"] = "false"
