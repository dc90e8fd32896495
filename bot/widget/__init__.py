"""The website chat: an embeddable widget, the clinic demo page, and the small server that serves both."""
