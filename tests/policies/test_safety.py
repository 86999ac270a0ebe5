"""Tests for bot/policies/safety.py: the safety state machine, turn by turn."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.config import PROJECT_ROOT
from bot.nlu.safety_intents import FAINT_SIGN
from bot.policies.safety import SafetyPolicy


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


@pytest.fixture
def policy(tmp_path) -> SafetyPolicy:
    return SafetyPolicy.create(
        SafetyPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("safety"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def user(intent: str, **entities: str) -> UserUttered:
    return UserUttered(
        "(text)",
        intent={"name": intent, "confidence": 1.0},
        entities=[
            {"entity": k, "value": v, "start": 0, "end": 1} for k, v in entities.items()
        ],
    )


class Conversation:
    """Drives the policy like Rasa does: predict, run, until it listens."""

    def __init__(
        self, policy: SafetyPolicy, domain: Domain, events: list[Event] | None = None
    ):
        self.policy, self.domain = policy, domain
        self.tracker = DialogueStateTracker.from_events(
            "someone", events or [], domain.slots
        )

    def say(self, event: UserUttered, max_steps: int = 8) -> list[str]:
        self.tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        self.tracker.update(event)
        actions: list[str] = []
        for _ in range(max_steps):
            prediction = self.policy.predict_action_probabilities(
                self.tracker, self.domain
            )
            if max(prediction.probabilities) == 0:
                for slot_event in prediction.events:
                    self.tracker.update(slot_event)
                actions.append("<other policies>")
                return actions
            action = self.domain.action_names_or_texts[prediction.max_confidence_index]
            for slot_event in prediction.optional_events:
                self.tracker.update(slot_event)
            if action == ACTION_LISTEN_NAME:
                return actions
            actions.append(action)
            self.tracker.update(ActionExecuted(action))
            if action == ACTION_DEACTIVATE_LOOP_NAME:
                self.tracker.update(ActiveLoop(None))
        raise AssertionError(f"policy never listened: {actions}")

    def slot(self, name: str) -> Any:
        return self.tracker.get_slot(name)


ESCALATION = ["utter_crisis", "utter_ask_safe_now"]


def test_crisis_on_first_message_escalates(policy, domain) -> None:
    talk = Conversation(policy, domain)
    assert talk.say(user("crisis", crisis_category="suicide")) == ESCALATION
    assert talk.slot("crisis_category") == "suicide"
    assert talk.slot("crisis_escalated") is True


def test_crisis_mid_form_stops_the_form_first(policy, domain) -> None:
    talk = Conversation(policy, domain, [ActiveLoop("safe_place_form")])
    assert talk.say(user("crisis", crisis_category="self_harm")) == [
        ACTION_DEACTIVATE_LOOP_NAME,
        *ESCALATION,
    ]
    assert talk.tracker.active_loop_name is None


def test_every_crisis_message_escalates_again(policy, domain) -> None:
    talk = Conversation(policy, domain)
    for category in ["suicide", "abuse", "medical"]:
        assert talk.say(user("crisis", crisis_category=category)) == ESCALATION
        assert talk.slot("crisis_category") == category


def test_young_person_is_remembered_for_the_wording(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(user("crisis", crisis_category="abuse", young_person="true"))
    assert talk.slot("young_person") is True


def test_ordinary_message_is_left_to_other_policies(policy, domain) -> None:
    talk = Conversation(policy, domain)
    assert talk.say(user("greet")) == ["<other policies>"]


def test_not_safe_after_escalation_escalates_again(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(user("crisis", crisis_category="suicide"))
    assert talk.say(user("deny")) == ESCALATION


def test_safe_after_escalation_offers_calm_options(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(user("crisis", crisis_category="suicide"))
    assert talk.say(user("affirm")) == ["utter_glad_you_are_safe"]
    assert talk.slot("safety_question") is None


def test_you_misunderstood_apologises_and_asks_once(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(user("crisis", crisis_category="suicide"))
    assert talk.say(user("misunderstood")) == [
        "utter_sorry_i_misread",
        "utter_ask_safe_now",
    ]
    # ...and a later crisis message still escalates.
    assert talk.say(user("crisis", crisis_category="suicide")) == ESCALATION


def test_you_misunderstood_before_any_safety_reply_asks_again(policy, domain) -> None:
    # Nothing about safety was said: no apology for a crisis reply never given.
    talk = Conversation(policy, domain)
    assert talk.say(user("misunderstood")) == ["utter_fallback"]
    assert talk.slot("safety_question") is None


@pytest.mark.parametrize(
    "safety", ["crisis_disclosure", "crisis_someone_else", "worry_signal", "sos"]
)
def test_you_misunderstood_after_any_safety_reply_checks_once(
    policy, domain, safety: str
) -> None:
    talk = Conversation(policy, domain)
    talk.say(user(safety, crisis_category="suicide"))
    assert talk.say(user("misunderstood")) == [
        "utter_sorry_i_misread",
        "utter_ask_safe_now",
    ]


def test_negated_crisis_words_after_escalation_count_as_misread(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(user("crisis", crisis_category="suicide"))
    reply = talk.say(user("worry_signal", crisis_negated="true"))
    assert reply == ["utter_sorry_i_misread", "utter_ask_safe_now"]


def test_past_suicidal_thoughts_get_care_and_a_direct_question(policy, domain) -> None:
    talk = Conversation(policy, domain)
    reply = talk.say(user("crisis_disclosure", crisis_category="suicide"))
    assert reply == ["utter_disclosure", "utter_ask_thoughts_now"]
    assert talk.say(user("affirm")) == ESCALATION


def test_past_abuse_is_validated_without_the_question(policy, domain) -> None:
    talk = Conversation(policy, domain)
    assert talk.say(user("crisis_disclosure", crisis_category="abuse")) == [
        "utter_disclosure"
    ]
    assert talk.say(user("greet")) == ["<other policies>"]


def test_no_to_thoughts_now_continues_gently(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(user("crisis_disclosure", crisis_category="self_harm"))
    assert talk.say(user("deny")) == ["utter_thank_you_for_answering"]


def test_worries_add_up_to_a_direct_question_on_the_second(policy, domain) -> None:
    talk = Conversation(policy, domain)
    assert talk.say(user("worry_signal")) == ["utter_worry_heard"]
    assert talk.say(user("greet")) == ["<other policies>"]
    assert talk.say(user("worry_signal")) == ["utter_ask_thoughts_of_ending_life"]
    assert talk.say(user("affirm")) == ESCALATION


def faint(intent: str = "share_experience") -> UserUttered:
    """An ordinary message the learnt crisis reader found somewhat crisis-like."""
    event = user(intent)
    event.parse_data[FAINT_SIGN] = True
    return event


def test_faint_signs_are_counted_without_a_word_and_ask_on_the_second(
    policy, domain
) -> None:
    talk = Conversation(policy, domain)
    assert talk.say(faint()) == ["<other policies>"]
    assert talk.slot("worry_count") == 1
    assert talk.say(user("greet")) == ["<other policies>"]
    assert talk.say(faint()) == ["utter_ask_thoughts_of_ending_life"]
    assert talk.say(user("affirm")) == ESCALATION


def test_a_faint_sign_and_a_worry_add_up_either_way(policy, domain) -> None:
    first = Conversation(policy, domain)
    first.say(faint())
    assert first.say(user("worry_signal")) == ["utter_ask_thoughts_of_ending_life"]
    second = Conversation(policy, domain)
    assert second.say(user("worry_signal")) == ["utter_worry_heard"]
    assert second.say(faint()) == ["utter_ask_thoughts_of_ending_life"]


def test_after_a_no_faint_signs_alone_do_not_ask_again(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(faint())
    talk.say(faint())
    assert talk.say(user("deny")) == ["utter_thank_you_for_answering"]
    assert talk.say(faint()) == ["<other policies>"]
    assert talk.say(faint()) == ["<other policies>"]
    # A worry in the person's own words still brings the question.
    assert talk.say(user("worry_signal")) == ["utter_ask_thoughts_of_ending_life"]


def test_a_faint_sign_mid_form_leaves_the_form_running(policy, domain) -> None:
    talk = Conversation(policy, domain, [ActiveLoop("letter_form")])
    assert talk.say(faint()) == ["<other policies>"]
    assert talk.say(faint()) == ["utter_ask_thoughts_of_ending_life"]
    assert talk.tracker.active_loop_name == "letter_form"


def test_an_ordinary_message_counts_nothing(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(user("share_experience"))
    talk.say(user("share_experience"))
    assert talk.slot("worry_count") is None


def test_a_no_to_the_direct_question_continues_gently(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(user("worry_signal"))
    talk.say(user("worry_signal"))
    assert talk.say(user("deny")) == ["utter_thank_you_for_answering"]


def test_strong_worry_asks_directly_at_once(policy, domain) -> None:
    talk = Conversation(policy, domain)
    reply = talk.say(user("worry_signal", worry_level="strong"))
    assert reply == ["utter_ask_thoughts_of_ending_life"]


def test_worry_about_someone_else_gets_support_wording(policy, domain) -> None:
    talk = Conversation(policy, domain)
    assert talk.say(user("crisis_someone_else", crisis_category="suicide")) == [
        "utter_support_someone_else"
    ]


def test_sos_shows_contacts_even_mid_form(policy, domain) -> None:
    talk = Conversation(policy, domain, [ActiveLoop("letter_form")])
    assert talk.say(user("sos")) == ["utter_sos"]
    assert talk.tracker.active_loop_name == "letter_form"


def test_an_unanswered_question_is_not_held_over_the_person(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(user("crisis", crisis_category="suicide"))
    assert talk.say(user("greet")) == ["<other policies>"]
    assert talk.slot("safety_question") is None
    assert talk.say(user("affirm")) == ["<other policies>"]


# --- crisis phrases often innocent alone (`ask_first`) ----------------------------


def ask_first(category: str) -> UserUttered:
    return user("worry_signal", worry_level="ask_first", crisis_category=category)


@pytest.mark.parametrize(
    ("category", "question", "yes", "no"),
    [
        (
            "suicide",
            "utter_ask_thoughts_of_ending_life",
            "affirm",
            "deny",
        ),
        (
            "harm_to_others",
            "utter_ask_thoughts_of_harming",
            "affirm",
            "deny",
        ),
        # "Are you safe right now?": a no is the danger.
        ("abuse", "utter_ask_safe_now", "deny", "affirm"),
    ],
)
def test_alone_it_asks_the_question_of_its_category_and_a_yes_escalates(
    policy, domain, category, question, yes, no
) -> None:
    talk = Conversation(policy, domain)
    assert talk.say(ask_first(category)) == [question]
    assert talk.slot("crisis_escalated") is None
    assert talk.say(user(yes)) == ESCALATION
    assert talk.slot("crisis_category") == category
    calm = Conversation(policy, domain)
    calm.say(ask_first(category))
    assert calm.say(user(no)) != ESCALATION
    assert calm.slot("crisis_escalated") is None


@pytest.mark.parametrize("earlier", [user("worry_signal"), faint()])
def test_after_an_earlier_worry_it_escalates_at_once(policy, domain, earlier) -> None:
    talk = Conversation(policy, domain)
    talk.say(earlier)
    assert talk.say(ask_first("harm_to_others")) == ESCALATION
    assert talk.slot("crisis_category") == "harm_to_others"


def test_after_an_escalation_it_escalates_again(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(user("crisis", crisis_category="abuse"))
    talk.say(user("affirm"))
    assert talk.say(ask_first("suicide")) == ESCALATION


def test_a_second_such_phrase_escalates(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(ask_first("suicide"))
    talk.say(user("deny"))
    assert talk.say(ask_first("suicide")) == ESCALATION


def test_you_misunderstood_after_the_safe_question_checks_once(policy, domain) -> None:
    talk = Conversation(policy, domain)
    talk.say(ask_first("abuse"))
    assert talk.say(user("misunderstood")) == [
        "utter_sorry_i_misread",
        "utter_ask_safe_now",
    ]


def test_mid_form_it_asks_without_stopping_the_form(policy, domain) -> None:
    talk = Conversation(policy, domain, [ActiveLoop("letter_form")])
    assert talk.say(ask_first("suicide")) == ["utter_ask_thoughts_of_ending_life"]
    assert talk.tracker.active_loop_name == "letter_form"
