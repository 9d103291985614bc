"""mamoru's Slack app: bolt listeners (ack first, then the handlers), sending, HTTP and Socket Mode."""
