"""Side effects of running the day: the event log, alert senders, the replay client."""
