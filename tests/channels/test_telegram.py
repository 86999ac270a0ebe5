"""Tests for Tend's Telegram channel logic, without a Rasa server or the network.

Covers bot/channels/telegram.py, telegram_updates.py, telegram_keyboard.py and
telegram_polling.py; the Bot API client is checked against the fake Telegram server.
The real webhook route and long polling inside Rasa are in
tests/integration/test_telegram.py.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.channels.channel import UserMessage

from bot.channels.telegram import (
    EXPIRED_BUTTON_REPLY,
    NON_TEXT_REPLY,
    TelegramInput,
    TelegramOutput,
    TelegramUpdates,
    group_reply,
    sos_reply,
    split_for_telegram,
)
from bot.channels.telegram_api import TelegramApiError, TelegramBotApi
from bot.channels.telegram_keyboard import (
    CALLBACK_DATA_LIMIT_BYTES,
    CallbackPayloads,
    inline_keyboard,
)
from bot.channels.telegram_polling import Backoff, poll_updates
from bot.channels.telegram_updates import (
    ButtonPress,
    GroupMessage,
    IgnoredUpdate,
    MessageForTend,
    NonTextMessage,
    RecentKeys,
    SosRequest,
    WebhookRejected,
    read_update,
    read_webhook_body,
)
from bot.config import Settings, read_settings
from tests.integration.fake_telegram import FakeTelegram, message_update, press_update

SECRET = "s3cret-token_for-tests"
CHAT = 4242


def config_with(tmp_path: Path, **env: str) -> Settings:
    base = {
        "TELEGRAM_TOKEN": "123:abc",
        "TELEGRAM_SECRET_TOKEN": SECRET,
        "TELEGRAM_BOT_USERNAME": "TendTestBot",
        "CRISIS_CONTACT": "the Test Crisis Line on 0800 000 111",
        "THERAPIST_CONTACT": "Dr Test at test-therapy.example",
    }
    return read_settings(environ={**base, **env}, env_file=tmp_path / "none.env")


def private(update_id: int = 1, **content: Any) -> dict[str, Any]:
    """A message from the person in their private chat with Tend."""
    return message_update(update_id, CHAT, **content)


# What each update means ------------------------------------------------------------


def test_private_text_goes_to_tend_with_the_chat_id_as_sender() -> None:
    event = read_update(private(text="I feel lonely today"))
    assert event == MessageForTend(str(CHAT), "I feel lonely today")


@pytest.mark.parametrize(
    ("typed", "sent_to_tend"),
    [
        ("/start", "/greet"),
        ("/start@TendTestBot", "/greet"),
        ("/start from-a-link", "/greet"),
        ("/help", "/help"),
        ("/stop", "/stop"),
    ],
)
def test_commands_become_tend_payloads(typed: str, sent_to_tend: str) -> None:
    event = read_update(private(text=typed), "TendTestBot")
    assert event == MessageForTend(str(CHAT), sent_to_tend)


def test_other_slash_text_is_passed_on_unchanged_for_the_command_guard() -> None:
    event = read_update(private(text='/inform{"feeling": "joy"}'))
    assert event == MessageForTend(str(CHAT), '/inform{"feeling": "joy"}')


@pytest.mark.parametrize("typed", ["/sos", "/SOS", "/sos@TendTestBot"])
def test_sos_is_answered_by_the_channel_itself(typed: str) -> None:
    assert read_update(private(text=typed), "TendTestBot") == SosRequest(str(CHAT))


def test_a_command_for_another_bot_is_ignored() -> None:
    event = read_update(private(text="/start@OtherBot"), "TendTestBot")
    assert isinstance(event, IgnoredUpdate)


@pytest.mark.parametrize(
    "content",
    [
        {"voice": {"file_id": "v", "duration": 3}},
        {"photo": [{"file_id": "p", "width": 1, "height": 1}], "caption": "me"},
        {"sticker": {"file_id": "s"}},
        {"document": {"file_id": "d"}},
    ],
)
def test_non_text_messages_get_the_text_only_note(content: dict[str, Any]) -> None:
    assert read_update(private(**content)) == NonTextMessage(str(CHAT))


def test_service_messages_are_ignored_not_answered() -> None:
    event = read_update(private(pinned_message={"message_id": 1}))
    assert isinstance(event, IgnoredUpdate)


@pytest.mark.parametrize("chat_type", ["group", "supergroup"])
def test_group_messages_are_declined_never_passed_on(chat_type: str) -> None:
    event = read_update(message_update(1, -77, chat_type, text="hi"))
    assert event == GroupMessage("-77", wants_sos=False)


def test_channel_posts_are_declined() -> None:
    update = {
        "update_id": 5,
        "channel_post": {"message_id": 1, "chat": {"id": -100, "type": "channel"}},
    }
    assert read_update(update) == GroupMessage("-100", wants_sos=False)


def test_sos_in_a_group_is_still_answered() -> None:
    event = read_update(message_update(1, -77, "group", text="/sos"))
    assert event == GroupMessage("-77", wants_sos=True)


def test_a_button_press_keeps_its_callback_data() -> None:
    event = read_update(press_update(9, CHAT, "/start_checkin"))
    assert event == ButtonPress("press-9", str(CHAT), "/start_checkin", True)


def test_unknown_update_kinds_are_ignored() -> None:
    event = read_update({"update_id": 3, "poll": {"id": "x"}})
    assert isinstance(event, IgnoredUpdate)
    assert "poll" in event.reason


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
_telegram_keys = st.sampled_from(
    ["chat", "id", "type", "text", "voice", "data", "message", "from", "update_id"]
)
_shaped = st.recursive(
    _json,
    lambda inner: st.dictionaries(_telegram_keys, inner, max_size=5),
    max_leaves=15,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["update_id", "message", "channel_post", "callback_query"]),
        _shaped,
    )
)
def test_reading_an_update_never_raises_whatever_its_shape(update: dict) -> None:
    read_update(update, "TendTestBot")


# The webhook call ------------------------------------------------------------------


@pytest.mark.parametrize("given_secret", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
def test_webhook_without_the_right_secret_is_forbidden(
    given_secret: str | None,
) -> None:
    with pytest.raises(WebhookRejected) as rejected:
        read_webhook_body(SECRET, given_secret, b'{"update_id": 1}')
    assert rejected.value.status == 403


def test_webhook_with_no_secret_configured_accepts_nothing() -> None:
    with pytest.raises(WebhookRejected) as rejected:
        read_webhook_body("", "", b'{"update_id": 1}')
    assert rejected.value.status == 403


@pytest.mark.parametrize(
    "body", [b"not json", b"\xff\xfe", b"[1, 2]", b'"text"', b'{"message": {}}']
)
def test_webhook_body_that_is_not_an_update_is_a_bad_request(body: bytes) -> None:
    with pytest.raises(WebhookRejected) as rejected:
        read_webhook_body(SECRET, SECRET, body)
    assert rejected.value.status == 400


def test_webhook_with_the_right_secret_gives_the_update() -> None:
    update = private(text="hello")
    assert read_webhook_body(SECRET, SECRET, json.dumps(update).encode()) == update


# Bounded memories and buttons ------------------------------------------------------


def test_recent_keys_say_when_a_key_was_seen_before() -> None:
    keys = RecentKeys(capacity=3)
    assert keys.add(1) is True
    assert keys.add(1) is False


def test_recent_keys_forget_the_oldest_beyond_capacity() -> None:
    keys = RecentKeys(capacity=3)
    for key in range(5):
        keys.add(key)
    assert len(keys) == 3
    assert 0 not in keys and 1 not in keys and 4 in keys


def test_short_payloads_travel_as_they_are() -> None:
    payloads = CallbackPayloads()
    assert payloads.encode("/start_checkin") == "/start_checkin"
    assert payloads.decode("/start_checkin") == "/start_checkin"


@pytest.mark.parametrize(
    "payload",
    ['/inform{"feeling": "' + "overwhelmed" * 6 + '"}', "/choose_" + "é" * 30],
)
def test_long_payloads_travel_as_a_short_key_and_come_back(payload: str) -> None:
    payloads = CallbackPayloads()
    data = payloads.encode(payload)
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT_BYTES
    assert data != payload
    assert payloads.decode(data) == payload


def test_a_forgotten_key_decodes_to_nothing() -> None:
    payloads = CallbackPayloads(capacity=1)
    first = payloads.encode("/a" + "x" * 80)
    payloads.encode("/b" + "y" * 80)
    assert payloads.decode(first) is None
    assert payloads.decode("#tend:never-made") is None


def test_buttons_become_one_inline_button_per_row() -> None:
    payloads = CallbackPayloads()
    long_payload = "/" + "z" * 70
    keyboard = inline_keyboard(
        [
            {"title": "Check in", "payload": "/start_checkin"},
            {"title": "Something long", "payload": long_payload},
            {"title": "Read more", "url": "https://example.org"},
        ],
        payloads,
    )
    rows = keyboard["inline_keyboard"]
    assert rows[0] == [{"text": "Check in", "callback_data": "/start_checkin"}]
    assert payloads.decode(rows[1][0]["callback_data"]) == long_payload
    assert rows[2] == [{"text": "Read more", "url": "https://example.org"}]


# Texts the channel writes itself ---------------------------------------------------


def test_sos_reply_names_the_configured_contacts(tmp_path: Path) -> None:
    text = sos_reply(config_with(tmp_path))
    assert "the Test Crisis Line on 0800 000 111" in text
    assert "Dr Test at test-therapy.example" in text


def test_sos_reply_names_the_child_contact_only_when_set(tmp_path: Path) -> None:
    assert "young person" not in sos_reply(config_with(tmp_path))
    with_child = sos_reply(config_with(tmp_path, CHILD_CONTACT="Kids Line 0800 1111"))
    assert "Kids Line 0800 1111" in with_child


def test_group_reply_links_to_a_private_chat(tmp_path: Path) -> None:
    assert "https://t.me/TendTestBot" in group_reply(config_with(tmp_path))
    no_name = group_reply(config_with(tmp_path, TELEGRAM_BOT_USERNAME=""))
    assert "t.me" not in no_name


def test_long_replies_are_split_within_telegram_limits_at_word_breaks() -> None:
    text = " ".join(["gentle"] * 2000)
    parts = split_for_telegram(text, limit=4096)
    assert len(parts) == 4
    assert all(len(part) <= 4096 for part in parts)
    assert " ".join(parts) == text


def test_splitting_counts_emoji_as_two_telegram_units() -> None:
    parts = split_for_telegram("🌱" * 10, limit=8)
    assert parts == ["🌱" * 4, "🌱" * 4, "🌱" * 2]


def test_short_replies_stay_whole() -> None:
    assert split_for_telegram("  Hello.\n\nHow are you?  ") == [
        "Hello.\n\nHow are you?"
    ]


# Handling updates, with a recording Bot API and a stand-in for Tend ---------------


class RecordingApi:
    """Stands in for TelegramBotApi: records calls, can fail on demand."""

    def __init__(self, fail_sends: bool = False) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail_sends = fail_sends

    async def send_message(self, chat_id: str, text: str, reply_markup=None) -> dict:
        await asyncio.sleep(0)  # a real call gives other tasks a turn meanwhile
        self.calls.append(
            ("sendMessage", {"chat_id": chat_id, "text": text, "markup": reply_markup})
        )
        if self.fail_sends:
            raise TelegramApiError("sendMessage", "403 Forbidden: bot was blocked")
        return {}

    async def answer_callback_query(self, query_id: str, text: str | None = None):
        await asyncio.sleep(0)
        self.calls.append(("answerCallbackQuery", {"id": query_id, "text": text}))
        return True

    async def send_document(self, chat_id, filename, content, mime_type) -> dict:
        self.calls.append(
            (
                "sendDocument",
                {"filename": filename, "content": content, "mime_type": mime_type},
            )
        )
        return {}

    def sent_texts(self, chat_id: str | int = CHAT) -> list[str]:
        return [
            params["text"]
            for method, params in self.calls
            if method == "sendMessage" and params["chat_id"] == str(chat_id)
        ]


class TendStandIn:
    """Records what would reach Rasa; optionally fails or waits before answering."""

    def __init__(self, fail: bool = False) -> None:
        self.received: list[UserMessage] = []
        self.fail = fail
        self.hold: asyncio.Event | None = None

    async def __call__(self, message: UserMessage) -> None:
        if self.hold is not None:
            await self.hold.wait()
        self.received.append(message)
        if self.fail:
            raise RuntimeError("the model could not be loaded")
        await message.output_channel.send_text_message(
            message.sender_id, f"reply to {message.text}"
        )


@pytest.fixture
def api() -> RecordingApi:
    return RecordingApi()


@pytest.fixture
def tend() -> TendStandIn:
    return TendStandIn()


@pytest.fixture
def updates(tmp_path: Path, api: RecordingApi, tend: TendStandIn) -> TelegramUpdates:
    payloads = CallbackPayloads()
    output = TelegramOutput(api, payloads)  # type: ignore[arg-type]
    return TelegramUpdates(config_with(tmp_path), api, output, payloads, tend)  # type: ignore[arg-type]


async def accept_all(updates: TelegramUpdates, *batch: dict[str, Any]) -> list[bool]:
    accepted = [updates.accept(update) for update in batch]
    await updates.finish()
    return accepted


async def test_start_reaches_tend_as_the_greet_payload_from_the_chat(
    updates: TelegramUpdates, tend: TendStandIn, api: RecordingApi
) -> None:
    await accept_all(updates, private(text="/start"))
    [message] = tend.received
    assert (message.text, message.sender_id) == ("/greet", str(CHAT))
    assert message.input_channel == "telegram"
    assert api.sent_texts() == ["reply to /greet"]


async def test_a_retried_update_reaches_tend_once(
    updates: TelegramUpdates, tend: TendStandIn
) -> None:
    update = private(7, text="I feel sad")
    accepted = await accept_all(updates, update, update)
    assert accepted == [True, False]
    assert [m.text for m in tend.received] == ["I feel sad"]


async def test_a_group_gets_one_note_and_nothing_reaches_tend(
    updates: TelegramUpdates, tend: TendStandIn, api: RecordingApi
) -> None:
    await accept_all(
        updates,
        message_update(1, -5, "group", text="hello"),
        message_update(2, -5, "group", text="are you there?"),
        message_update(3, -6, "supergroup", text="hi"),
    )
    assert tend.received == []
    assert len(api.sent_texts(-5)) == 1
    assert "https://t.me/TendTestBot" in api.sent_texts(-5)[0]
    assert len(api.sent_texts(-6)) == 1


async def test_sos_sends_the_contacts_without_asking_tend(
    updates: TelegramUpdates, tend: TendStandIn, api: RecordingApi
) -> None:
    await accept_all(updates, private(text="/sos"))
    assert tend.received == []
    [reply] = api.sent_texts()
    assert "the Test Crisis Line on 0800 000 111" in reply


async def test_a_voice_message_gets_the_text_only_note(
    updates: TelegramUpdates, tend: TendStandIn, api: RecordingApi
) -> None:
    await accept_all(updates, private(voice={"file_id": "v", "duration": 2}))
    assert tend.received == []
    assert api.sent_texts() == [NON_TEXT_REPLY]


async def test_a_button_press_is_answered_then_its_payload_reaches_tend(
    updates: TelegramUpdates, tend: TendStandIn, api: RecordingApi
) -> None:
    await accept_all(updates, press_update(11, CHAT, "/start_checkin"))
    assert api.calls[0] == ("answerCallbackQuery", {"id": "press-11", "text": None})
    assert [m.text for m in tend.received] == ["/start_checkin"]


async def test_a_press_on_an_expired_long_button_says_so_and_stops(
    updates: TelegramUpdates, tend: TendStandIn, api: RecordingApi
) -> None:
    await accept_all(updates, press_update(12, CHAT, "#tend:0123456789abcdef01234567"))
    assert api.calls == [
        ("answerCallbackQuery", {"id": "press-12", "text": EXPIRED_BUTTON_REPLY})
    ]
    assert tend.received == []


async def test_a_press_in_a_group_is_answered_but_not_passed_on(
    updates: TelegramUpdates, tend: TendStandIn, api: RecordingApi
) -> None:
    await accept_all(
        updates, press_update(13, CHAT, "/start_checkin", chat_type="group")
    )
    assert [method for method, _ in api.calls] == ["answerCallbackQuery"]
    assert tend.received == []


async def test_when_tend_fails_the_person_gets_a_kind_note(
    updates: TelegramUpdates, tend: TendStandIn, api: RecordingApi
) -> None:
    tend.fail = True
    await accept_all(updates, private(text="hello"))
    [note] = api.sent_texts()
    assert "the Test Crisis Line on 0800 000 111" in note


async def test_when_telegram_refuses_a_reply_nothing_is_raised(
    tmp_path: Path, tend: TendStandIn
) -> None:
    failing = RecordingApi(fail_sends=True)
    payloads = CallbackPayloads()
    output = TelegramOutput(failing, payloads)  # type: ignore[arg-type]
    updates = TelegramUpdates(config_with(tmp_path), failing, output, payloads, tend)  # type: ignore[arg-type]
    await accept_all(updates, private(text="/sos"), private(2, text="hi"))
    assert [m.text for m in tend.received] == ["hi"]
    assert len(failing.sent_texts()) == 2


async def test_a_chats_messages_reach_tend_in_the_order_sent(
    updates: TelegramUpdates, tend: TendStandIn
) -> None:
    tend.hold = asyncio.Event()
    updates.accept(private(1, text="first"))
    updates.accept(press_update(2, CHAT, "/second"))
    updates.accept(private(3, text="third"))
    await asyncio.sleep(0)  # let all three start and queue up behind the first
    tend.hold.set()
    await updates.finish()
    assert [m.text for m in tend.received] == ["first", "/second", "third"]


# Output ----------------------------------------------------------------------------


async def test_buttons_are_sent_as_an_inline_keyboard_in_plain_text(
    api: RecordingApi,
) -> None:
    output = TelegramOutput(api, CallbackPayloads())  # type: ignore[arg-type]
    await output.send_response(
        str(CHAT),
        {
            "text": "What would help?",
            "buttons": [{"title": "Breathe", "payload": "/b"}],
        },
    )
    [(method, params)] = api.calls
    assert params["text"] == "What would help?"
    assert params["markup"] == {
        "inline_keyboard": [[{"text": "Breathe", "callback_data": "/b"}]]
    }


async def test_the_data_export_is_sent_as_a_file(api: RecordingApi) -> None:
    output = TelegramOutput(api, CallbackPayloads())  # type: ignore[arg-type]
    await output.send_response(
        str(CHAT),
        {
            "text": "Here is everything I keep about you.",
            "custom": {
                "type": "data_export",
                "filename": "tend-my-data.json",
                "mime_type": "application/json",
                "content": '{"letters": []}',
            },
        },
    )
    assert [method for method, _ in api.calls] == ["sendMessage", "sendDocument"]
    assert api.calls[1][1] == {
        "filename": "tend-my-data.json",
        "content": b'{"letters": []}',
        "mime_type": "application/json",
    }


async def test_other_custom_payloads_are_not_shown_as_raw_json(
    api: RecordingApi,
) -> None:
    output = TelegramOutput(api, CallbackPayloads())  # type: ignore[arg-type]
    await output.send_custom_json(str(CHAT), {"widget": "breathing-circle"})
    assert api.calls == []


def test_without_a_token_the_channel_is_off(tmp_path: Path) -> None:
    channel = TelegramInput(config_with(tmp_path, TELEGRAM_TOKEN=""))
    assert TelegramInput.name() == "telegram"
    assert channel.get_output_channel() is None


# Long polling ----------------------------------------------------------------------


class PollingApi:
    """Serves scripted `getUpdates` answers; stops the loop when they run out."""

    def __init__(self, answers: list[list[dict] | Exception]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, Any]] = []

    async def delete_webhook(self) -> bool:
        self.calls.append(("deleteWebhook", None))
        return True

    async def get_updates(self, offset: int | None, timeout: int) -> list[dict]:
        self.calls.append(("getUpdates", offset))
        if not self.answers:
            raise asyncio.CancelledError
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


async def test_polling_removes_the_webhook_then_hands_over_updates_in_order() -> None:
    api = PollingApi([[{"update_id": 5}, {"update_id": 6}], [], [{"update_id": 9}]])
    handed: list[int] = []
    with pytest.raises(asyncio.CancelledError):
        await poll_updates(api, lambda update: handed.append(update["update_id"]))  # type: ignore[arg-type]
    assert handed == [5, 6, 9]
    assert api.calls == [
        ("deleteWebhook", None),
        ("getUpdates", None),
        ("getUpdates", 7),
        ("getUpdates", 7),
        ("getUpdates", 10),
    ]


async def test_polling_waits_longer_after_each_failure_and_recovers() -> None:
    refused = TelegramApiError("getUpdates", "502 Bad Gateway")
    api = PollingApi([refused, refused, refused, [{"update_id": 1}], refused])
    waits: list[float] = []

    async def record_wait(seconds: float) -> None:
        waits.append(seconds)

    handed: list[dict] = []
    with pytest.raises(asyncio.CancelledError):
        await poll_updates(api, handed.append, sleep=record_wait)  # type: ignore[arg-type]
    assert waits == [1.0, 2.0, 4.0, 1.0]
    assert handed == [{"update_id": 1}]


def test_backoff_follows_telegrams_retry_after_and_stays_under_a_minute() -> None:
    backoff = Backoff()
    assert backoff.after_failure(asked=30) == 30
    assert max(backoff.after_failure() for _ in range(10)) == 60


# The Bot API client against the fake Telegram server --------------------------------


@pytest.fixture
def fake_telegram() -> Any:
    with FakeTelegram() as fake:
        yield fake


async def test_client_sends_plain_text_and_documents(
    fake_telegram: FakeTelegram,
) -> None:
    api = TelegramBotApi(fake_telegram.token, fake_telegram.url)
    try:
        await api.send_message("42", "Hello *there*")
        await api.send_document("42", "tend.json", b'{"a": 1}', "application/json")
    finally:
        await api.close()
    [sent] = fake_telegram.calls("sendMessage")
    assert sent.params == {"chat_id": "42", "text": "Hello *there*"}
    [document] = fake_telegram.calls("sendDocument")
    assert document.params == {
        "chat_id": "42",
        "document": {"filename": "tend.json", "content": b'{"a": 1}'},
    }


async def test_client_errors_name_the_method_but_never_the_token(
    fake_telegram: FakeTelegram,
) -> None:
    api = TelegramBotApi("999:wrong-token", fake_telegram.url)
    try:
        with pytest.raises(TelegramApiError) as error:
            await api.send_message("42", "hi")
    finally:
        await api.close()
    assert "sendMessage" in str(error.value) and "401" in str(error.value)
    assert "wrong-token" not in str(error.value)


async def test_client_reports_an_unreachable_server_without_the_token() -> None:
    api = TelegramBotApi("999:secret-token", "http://127.0.0.1:9")
    try:
        with pytest.raises(TelegramApiError) as error:
            await api.delete_webhook()
    finally:
        await api.close()
    assert "secret-token" not in str(error.value)


async def test_client_waits_out_a_short_too_many_requests_once(
    fake_telegram: FakeTelegram,
) -> None:
    fake_telegram.refuse_next("sendMessage", 429, retry_after=0)
    api = TelegramBotApi(fake_telegram.token, fake_telegram.url)
    try:
        await api.send_message("42", "hi")
    finally:
        await api.close()
    assert len(fake_telegram.calls("sendMessage")) == 2


async def test_client_passes_on_a_long_too_many_requests(
    fake_telegram: FakeTelegram,
) -> None:
    fake_telegram.refuse_next("getUpdates", 429, retry_after=30)
    api = TelegramBotApi(fake_telegram.token, fake_telegram.url)
    try:
        with pytest.raises(TelegramApiError) as error:
            await api.get_updates(None, 0)
    finally:
        await api.close()
    assert error.value.retry_after == 30
