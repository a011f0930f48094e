"""Code that runs inside the Rasa server: the language tagger and the gateway's channel.

Rasa imports these modules by dotted path (config.yml, credentials.yml); nothing in the
gateway imports them, so the gateway never loads Rasa.
"""
