"""Care after the screen: escalations, handoff, outbox and staff alerts, service hours, staff accounts."""
