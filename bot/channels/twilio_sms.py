"""The Twilio SMS input channel: signed webhooks only, carrier keywords first, answers that fit a text message.

Twilio posts each incoming text to /webhooks/twilio/webhook. Rasa's built-in Twilio channel checks no
signature, leaks button payloads and re-raises errors; this one refuses forged requests with 403, never
answers Twilio with a 500, and sends the replies through the REST API.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple
from urllib.parse import parse_qs

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels.payloads import as_visitor_text
from bot.clinic.phones import e164
from bot.channels.silence import never_silent
from bot.clinic.profile import clinic_profile
from bot.sms import keywords
from bot.sms.gsm7 import numbered_choices, split_sms
from bot.sms.sender import SmsSender
from bot.sms.settings import SmsSettings, load_sms_settings
from bot.sms.subscribers import Subscribers, conversation_id

logger = logging.getLogger(__name__)
CHANNEL = "twilio"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class SmsOutput(CollectingOutputChannel):
    """Collects the replies under the channel name "twilio", so the domain's SMS variations are chosen."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL


def compose(messages: List[Dict[Text, Any]]) -> Tuple[List[str], List[Dict[str, str]]]:
    """The texts to send, with buttons as numbered choices, and the choices a number will select."""
    parts: List[str] = []
    choices: List[Dict[str, str]] = []
    for message in messages:
        text = message.get("text") or ""
        buttons = message.get("buttons") or []
        if buttons:
            choices = [{"title": str(b.get("title")), "payload": str(b.get("payload"))} for b in buttons]
            text = f"{text}\n{numbered_choices([choice['title'] for choice in choices])}"
        parts.extend(split_sms(text))
    return parts, choices


def chosen_payload(body: str, choices: List[Dict[str, str]]) -> Optional[str]:
    """A reply of "2" after numbered choices means the second button's payload."""
    number = body.strip().rstrip(".")
    if number.isdigit() and 1 <= int(number) <= len(choices):
        return choices[int(number) - 1]["payload"]
    return None


class TwilioSmsInput(InputChannel):
    def __init__(self, settings: Optional[SmsSettings]) -> None:
        self.settings = settings
        self.sender = SmsSender(settings) if settings else None
        self.subscribers = Subscribers() if settings else None

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TwilioSmsInput":
        """Secrets come from the environment (see bot/sms/settings.py), never from credentials.yml."""
        return cls(load_sms_settings())

    def _is_signed(self, request: Request, form: RequestParameters) -> bool:
        signature = request.headers.get("X-Twilio-Signature")
        if not signature:
            logger.warning("Refused an SMS webhook from %s: no X-Twilio-Signature header", request.ip)
            return False
        try:
            valid = RequestValidator(self.settings.auth_token).validate(self.settings.webhook_url, form, signature)
        except Exception:
            logger.exception("Refused an SMS webhook from %s: its signature could not be checked", request.ip)
            return False
        if not valid:
            logger.warning("Refused an SMS webhook from %s: signature does not match %s",
                           request.ip, self.settings.webhook_url)
            return False
        return True

    async def _send(self, phone: str, texts: List[str]) -> None:
        for text in texts:
            await asyncio.to_thread(self.sender.send, phone, text)

    async def _reply(self, phone: str, conversation: str, body: str, had_media: bool,
                     on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        profile = clinic_profile()
        keyword = keywords.carrier_keyword(body)
        opted_out = self.subscribers.is_opted_out(conversation)
        if keyword == keywords.STOP:
            self.subscribers.set_opted_out(conversation, True)
            await self._send(phone, [keywords.opted_out_text(profile)])
        elif keyword == keywords.START and (opted_out or body.strip().upper() != "YES"):
            self.subscribers.set_opted_out(conversation, False)
            await self._send(phone, [keywords.opted_in_text(profile)])
        elif opted_out:
            # Carriers and Twilio allow no texts to a number that opted out, but what it wrote is still recorded and
            # read by the safety stage, so a crisis shows on the conversation for staff; the replies are not sent.
            logger.info("Not answering %s: opted out; the message is recorded for staff", conversation)
            if body.strip():
                await on_new_message(UserMessage(body, SmsOutput(), conversation, input_channel=CHANNEL,
                                                 metadata={"opted_out": True}))
        elif keyword == keywords.HELP:
            await self._send(phone, [keywords.help_text(profile)])
        elif not body.strip():
            await self._send(phone, [keywords.no_text_text(had_media)])
        else:
            choices = self.subscribers.choices(conversation)
            text = as_visitor_text(chosen_payload(body, choices) or body, [choice["payload"] for choice in choices])
            collector = SmsOutput()
            await on_new_message(UserMessage(text, collector, conversation, input_channel=CHANNEL))
            parts, choices = compose(never_silent(collector.messages, conversation))
            self.subscribers.set_choices(conversation, choices)
            await self._send(phone, parts)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sms_webhook = Blueprint("twilio_sms_webhook", __name__)

        @sms_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.settings else "not configured"})

        @sms_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if self.settings is None:
                logger.warning("An SMS webhook arrived but Twilio is not configured (see README, SMS)")
                return response.text("SMS is not configured", status=503)
            # Twilio signs every parameter, empty ones too (a picture-only text has Body=).
            form = RequestParameters(parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True))
            if not self._is_signed(request, form):
                return response.text("Forbidden", status=403)
            phone = e164(form.get("From", ""))
            if phone is None:
                logger.warning("Ignored a signed SMS webhook without a usable From number")
                return response.text(EMPTY_TWIML, content_type="text/xml")
            conversation = conversation_id(phone, self.settings.conversation_key)
            self.subscribers.remember(conversation, phone)
            body = form.get("Body", "")
            had_media = form.get("NumMedia", "0") not in ("", "0")
            try:
                await self._reply(phone, conversation, body, had_media, on_new_message)
            except Exception:
                logger.exception("Could not answer SMS conversation %s", conversation)
                try:
                    await self._send(phone, [keywords.error_text(clinic_profile())])
                except Exception:
                    logger.exception("Could not send the apology either")
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return sms_webhook
