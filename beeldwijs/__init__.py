"""Beeldwijs: classroom lessons on the online spreading of unwanted images, as Voilà apps.

The student app (``beeldwijs.widgets``), the response store (``beeldwijs.store``), the content
library (``beeldwijs.content``) and the facilitator dashboard (``beeldwijs.facilitator``) are
imported from their own modules so that a student's kernel loads only what it needs.
"""

__version__ = "0.2.0"
__all__ = ["__version__"]
