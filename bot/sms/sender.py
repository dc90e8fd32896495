"""Sends texts through Twilio's REST API with the official client: a timeout, and one retry on a 5xx."""
from __future__ import annotations

import logging

from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.sms.settings import SmsSettings

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
ATTEMPTS = 2


class SmsSender:
    def __init__(self, settings: SmsSettings) -> None:
        http_client = TwilioHttpClient(timeout=TIMEOUT_SECONDS, max_retries=2)
        self._client = Client(settings.account_sid, settings.auth_token, http_client=http_client)
        if settings.api_base:
            self._client.api.base_url = settings.api_base
        self._from = settings.from_number

    def send(self, to: str, body: str) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self._client.messages.create(to=to, from_=self._from, body=body)
                return
            except TwilioRestException as error:
                if error.status < 500 or attempt == ATTEMPTS:
                    raise
                logger.warning("Twilio answered %s; sending again", error.status)
