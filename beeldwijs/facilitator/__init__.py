"""The facilitator side: aggregation, charts and the mentor's dashboard (pandas, matplotlib)."""

from beeldwijs.facilitator.dashboard import Dashboard

__all__ = ["Dashboard"]
