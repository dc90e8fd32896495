"""Booking hand-off: the durable outbox of consultation requests and their delivery to the clinic's intake form."""
