"""A fictional chat or feed rendered as a phone screen. Every text is escaped."""

from __future__ import annotations

from beeldwijs.content.model import Chat
from beeldwijs.texts import CONTENT_LANGUAGE, direction, t
from beeldwijs.ui import lean
from beeldwijs.ui.html import Markup, html, join
from beeldwijs.ui.lang import ours


def chat_html(chat: Chat) -> Markup:
    messages = []
    for msg in chat.messages:
        body = html("{}", msg.text)
        if msg.kind in ("image", "video"):
            body = html('<span class="bw-media">{}: {}</span>', ours(t(f"chat.{msg.kind}")), body)
        messages.append(
            html(
                '<div class="{css}"><span class="bw-msg-from">{sender}</span>{body}</div>',
                css="bw-msg bw-msg-me" if msg.me else "bw-msg",
                sender=msg.sender,
                body=body,
            )
        )
    return html(
        '<div class="bw-chat bw-chat-{platform}" role="group" aria-label="{platform}: {title}"'
        ' lang="{lang}" dir="{dir}"><div class="bw-chat-title">{title}</div>{messages}</div>',
        lang=CONTENT_LANGUAGE,
        dir=direction(CONTENT_LANGUAGE),
        platform=chat.platform,
        title=chat.title,
        messages=join(messages),
    )


class ChatView(lean.HTML):
    """Phone-style view of a scenario's chat thread."""

    def __init__(self, chat: Chat) -> None:
        super().__init__(chat_html(chat), _dom_classes=("bw-chat-view",))
