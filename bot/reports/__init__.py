"""The service managers' theme report: data, charts, HTML."""
