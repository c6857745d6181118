"""Results from counts: per question (pandas), the tabletop exercise and the team self-scan.

Nothing here imports the rest of ``beeldwijs.facilitator``; the dashboard, the report and the
overview build on it.
"""
