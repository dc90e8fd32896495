"""The action server: `rasa run actions --actions bot.actions` registers every action in these modules."""
