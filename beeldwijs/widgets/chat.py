"""A fictional chat or feed rendered as a phone screen. Every text is escaped."""

from __future__ import annotations

from html import escape

from beeldwijs.content.model import Chat
from beeldwijs.texts import t
from beeldwijs.ui import lean


def chat_html(chat: Chat) -> str:
    parts = [
        f'<div class="bw-chat bw-chat-{escape(chat.platform)}" role="group" '
        f'aria-label="{escape(chat.platform)}: {escape(chat.title)}">',
        f'<div class="bw-chat-title">{escape(chat.title)}</div>',
    ]
    for msg in chat.messages:
        css = "bw-msg bw-msg-me" if msg.me else "bw-msg"
        body = escape(msg.text)
        if msg.kind in ("image", "video"):
            label = t(f"chat.{msg.kind}")
            body = f'<span class="bw-media">{escape(label)}: {body}</span>'
        parts.append(
            f'<div class="{css}"><span class="bw-msg-from">{escape(msg.sender)}</span>{body}</div>'
        )
    parts.append("</div>")
    return "".join(parts)


class ChatView(lean.HTML):
    """Phone-style view of a scenario's chat thread."""

    def __init__(self, chat: Chat) -> None:
        super().__init__(chat_html(chat), _dom_classes=("bw-chat-view",))
