"""Input channels beyond Rasa's REST channel: SMS through Twilio."""
