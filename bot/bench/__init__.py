"""`make bench`: Tend's speed and memory, measured against the stock Rasa pipeline."""
