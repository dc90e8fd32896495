"""How the Rasa server renders responses."""
