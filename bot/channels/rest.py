"""The website widget's channel: Rasa's REST channel with the request checked before anything runs.

POST /webhooks/rest/webhook takes a JSON object `{"sender": text, "message": text, "metadata": object}`. Anything
else is refused with 400 and a short reason, before it can reach the tracker. The channel is always "rest" (a web
client cannot pose as SMS), lone surrogates become U+FFFD instead of breaking the store, metadata is capped, and a
typed `/intent{...}` is read as words unless it is a button this conversation was offered (bot/channels/payloads.py).
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.payloads import as_visitor_text, offered_payloads
from bot.channels.silence import never_silent

logger = logging.getLogger(__name__)
MAX_SENDER_CHARS = 128
MAX_METADATA_BYTES = 2048
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class BadRequest(ValueError):
    """A request the channel refuses; the message is what the client is told."""


def well_formed(text: str) -> str:
    """Lone surrogates (valid JSON escapes, invalid Unicode; JSON's escaped pairs are already joined) replaced by
    U+FFFD, so the text can be stored and shown."""
    return LONE_SURROGATE.sub("\ufffd", text)


def parse_body(raw: bytes) -> Tuple[str, str, Optional[Dict[str, Any]]]:
    """The sender, message and metadata of a request body, or BadRequest naming what is wrong."""
    try:
        body = json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest("the body must be a JSON object") from error
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    sender, message, metadata = body.get("sender"), body.get("message", ""), body.get("metadata")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        raise BadRequest(f"'sender' must be text of 1 to {MAX_SENDER_CHARS} characters")
    if not isinstance(message, str):
        raise BadRequest("'message' must be text")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise BadRequest("'metadata' must be an object")
        encoded = json.dumps(metadata, ensure_ascii=False)
        if len(encoded.encode("utf-8", "surrogatepass")) > MAX_METADATA_BYTES:
            raise BadRequest(f"'metadata' must be at most {MAX_METADATA_BYTES} bytes")
        metadata = json.loads(well_formed(encoded))
    return well_formed(sender), well_formed(message), metadata


class WebChatInput(RestInput):
    """Rasa's REST channel under its usual name and route, refusing what it cannot store or should not trust."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("web_chat_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata = parse_body(request.body)
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            if text.lstrip().startswith("/"):
                text = as_visitor_text(text, await self._offered(request, sender))
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
            except Exception:
                # Rasa's own channel does the same: the visitor gets what was said before the fault, never a trace.
                logger.exception("The assistant failed on a message from %s", sender)
            return response.json(never_silent(collector.messages, sender))

        return webhook

    @staticmethod
    async def _offered(request: Request, sender: str) -> set:
        """The button payloads this conversation was offered, from the tracker store."""
        tracker = await request.app.ctx.agent.tracker_store.retrieve(sender)
        return offered_payloads(event.as_dict() for event in tracker.events) if tracker else set()
