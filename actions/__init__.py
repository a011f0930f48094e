"""Custom actions of the Rasa action server (`rasa_sdk --actions actions`).

Actions stay thin: they read the tracker, call plain functions and return events.
`calculators` holds the loan and savings forms, `answers` the catalogue, service and
education answers; `facts`, `products`, `finance`, `numbers` and `formatting` are plain
modules tested without Rasa.
"""
