"""Custom actions of the Rasa action server (`rasa_sdk --actions actions`).

Actions stay thin: they read the tracker, call plain functions and return events.
Dialogue in this release is all rules and responses, so no custom action is registered yet;
the catalogue and calculator actions arrive with the answers issue.
"""
