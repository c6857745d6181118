"""Serving: the two Voilà servers, their options and command lines, the student server's kernel
cap and warm pool, nginx for several student servers, and the thin notebooks Voilà serves.

Voilà's own configuration and page template live next to this code, laid out the Jupyter way:
``etc/jupyter/voila.json`` and ``share/jupyter/voila/templates/beeldwijs/``.
"""
