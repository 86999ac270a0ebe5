"""`SafetyPolicy`: Tend's answer to crisis language, in every state, every time.

The crisis component (`bot.nlu.crisis.CrisisClassifier`) labels a message with one of
the safety intents. This policy turns that label into what Tend says next, before
any other policy: it outranks an active form (Rasa lets a form's "happy path" win
over rules, so a rule alone would let a crisis message be swallowed as a letter),
it needs no training data and no action server. The state it keeps lives in slots
that it sets itself. docs/safety.md describes the state machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.safety_intents import (
    ASK_FIRST,
    CRISIS,
    DISCLOSURE,
    FAINT_SIGN,
    SOMEONE_ELSE,
    SOS,
    STRONG_WORRY,
    WORRY,
    WORRY_LEVEL,
)

AFFIRM = "affirm"
DENY = "deny"
MISUNDERSTOOD = "misunderstood"

# Tend's crisis answer. The tracker store records an escalation whenever it is said
# (bot/store/escalations.py), so no action is needed for the record.
CRISIS_REPLY = "utter_crisis"
# Tend's direct questions: about thoughts of ending life; after a past suicide or
# self-harm disclosure, whether those thoughts are with them now; about thoughts of
# hurting someone; whether they are safe right now (also asked after every crisis
# reply, and after "you misunderstood").
ASK_ENDING_LIFE = "utter_ask_thoughts_of_ending_life"
ASK_THOUGHTS_NOW = "utter_ask_thoughts_now"
ASK_HARMING = "utter_ask_thoughts_of_harming"
ASK_SAFE_NOW = "utter_ask_safe_now"
QUESTIONS = frozenset({ASK_ENDING_LIFE, ASK_THOUGHTS_NOW, ASK_HARMING, ASK_SAFE_NOW})

# Tend's replies that touch safety. After one of them, "you misunderstood" may be
# about it, so Tend apologises and checks once that the person is safe; before any,
# it is an ordinary misunderstanding, and Tend asks them to say it another way.
SAFETY_REPLIES = frozenset(
    {
        CRISIS_REPLY,
        "utter_disclosure",
        ASK_THOUGHTS_NOW,
        "utter_support_someone_else",
        "utter_worry_heard",
        ASK_ENDING_LIFE,
        ASK_HARMING,
        ASK_SAFE_NOW,
        "utter_sos",
    }
)
ORDINARY_MISUNDERSTANDING = "utter_fallback"

# Slots this policy owns (domain.yml declares them with `mappings: [type: custom]`).
SLOT_CATEGORY = "crisis_category"
SLOT_YOUNG = "young_person"
SLOT_ESCALATED = "crisis_escalated"
SLOT_QUESTION = "safety_question"
SLOT_WORRIES = "worry_count"
SLOT_PLAN = "safety_plan"

# What the pending question asked, so a yes or no can be read correctly.
ASKED_THOUGHTS_NOW = "thoughts_now"  # after a past disclosure: "are they with you now?"
ASKED_ENDING_LIFE = "ending_life"  # after worries add up: the direct question
ASKED_HARMING = "harming"  # after "i could kill him" alone: "are you thinking of it?"
ASKED_SAFE_NOW = "safe_now"  # after "you misunderstood": "are you safe right now?"

# Categories whose past disclosure gets the "are those thoughts with you now?" question.
ASK_AFTER_DISCLOSURE = {"suicide", "self_harm"}
# Worrying messages before Tend asks directly about thoughts of ending life. Faint
# signs (the learnt reader somewhat sure, the lists finding nothing) count too.
WORRIES_BEFORE_ASKING = 2


@dataclass
class SafetyPlan:
    """The actions to run after a user message, and the slots to set first. With
    no actions, the slots are set and the other policies answer."""

    actions: list[str]
    slots: dict[str, Any] = field(default_factory=dict)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT],
    is_trainable=True,
)
class SafetyPolicy(Policy):
    """Predicts the safety responses; silent (all zeros) when nothing is unsafe."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Above RulePolicy (6) so it wins ties; see module docstring.
        return {"priority": 7}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)

    def train(
        self,
        training_trackers: list[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        # Nothing to learn: the behaviour is fixed on purpose.
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        decision = decide(tracker)
        if decision.action is None:
            return self._abstain(domain, decision.events)
        return self._predict(decision.action, domain, decision.events)

    def _predict(
        self, action: str, domain: Domain, events: list[SlotSet] | None = None
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(
            probabilities, optional_events=events or [], is_no_user_prediction=True
        )

    def _abstain(
        self, domain: Domain, events: list[SlotSet] | None = None
    ) -> PolicyPrediction:
        # `events` (unlike `optional_events`) are applied even when another policy wins.
        return self._prediction(self._default_predictions(domain), events=events)


@dataclass(frozen=True)
class SafetyDecision:
    """What the policy says next: an action, or nothing (`action` is None).

    With an action, `events` are set if it wins (it always does: confidence 1.0 at
    the highest priority); without one, they are set whichever policy wins.
    """

    action: str | None
    events: list[SlotSet] = field(default_factory=list)


def decide(tracker: DialogueStateTracker) -> SafetyDecision:
    """The policy's answer, worked out from the conversation's events and slots."""
    user_turn, done = _current_turn(tracker)
    if user_turn is None:
        return SafetyDecision(None)
    if not done:
        plan = plan_for_turn(user_turn, tracker)
        if plan is None or not plan.actions:
            silent = [
                SlotSet(name, value)
                for name, value in (plan or SafetyPlan([])).slots.items()
            ]
            # The person moved on without answering a safety question: don't
            # hold it over them (a later "yes" means something else).
            if tracker.get_slot(SLOT_QUESTION) is not None:
                silent.append(SlotSet(SLOT_QUESTION, None))
            return SafetyDecision(None, silent)
        actions = [
            action
            for action in plan.actions
            if action != ACTION_DEACTIVATE_LOOP_NAME or tracker.active_loop_name
        ]
        events = [SlotSet(name, value) for name, value in plan.slots.items()]
        events.append(SlotSet(SLOT_PLAN, actions))
        return SafetyDecision(actions[0], events)
    # Later steps follow the plan made at the first step (kept in a slot, because
    # the slots it set would change the answer if it were worked out again).
    actions = tracker.get_slot(SLOT_PLAN) or []
    if done != actions[: len(done)]:
        return SafetyDecision(None)
    if len(done) < len(actions):
        return SafetyDecision(actions[len(done)])
    return SafetyDecision(ACTION_LISTEN_NAME, [SlotSet(SLOT_PLAN, None)])


@dataclass(frozen=True)
class UserTurn:
    """What the latest user message means for safety."""

    intent: str
    category: str | None
    young: bool
    strong_worry: bool
    negated: bool
    faint: bool = False
    ask_first: bool = False


def _entity(message: UserUttered, name: str) -> str | None:
    for entity in message.entities or []:
        if entity.get("entity") == name:
            return str(entity.get("value"))
    return None


def _current_turn(
    tracker: DialogueStateTracker,
) -> tuple[UserTurn | None, list[str]]:
    """The latest user message and the actions Tend has run since it."""
    done: list[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            if event.action_name:
                done.append(event.action_name)
        elif isinstance(event, UserUttered):
            intent = (event.intent or {}).get("name") or ""
            turn = UserTurn(
                intent=intent,
                category=_entity(event, "crisis_category"),
                young=_entity(event, "young_person") == "true",
                strong_worry=_entity(event, WORRY_LEVEL) == STRONG_WORRY,
                negated=_entity(event, "crisis_negated") == "true",
                faint=event.parse_data.get(FAINT_SIGN) is True,
                ask_first=_entity(event, WORRY_LEVEL) == ASK_FIRST,
            )
            done.reverse()
            # Rasa logs action_listen right before each user message; skip it.
            return turn, [a for a in done if a != ACTION_LISTEN_NAME]
    return None, []


def _said(tracker: DialogueStateTracker, replies: frozenset[str]) -> bool:
    """Whether Tend has given any of `replies` in this conversation."""
    return any(
        isinstance(event, ActionExecuted) and event.action_name in replies
        for event in tracker.events
    )


def escalation(category: str | None, young: bool) -> SafetyPlan:
    """Help now: the crisis response, the safety check, any form stopped."""
    return SafetyPlan(
        actions=[
            ACTION_DEACTIVATE_LOOP_NAME,
            CRISIS_REPLY,
            ASK_SAFE_NOW,
        ],
        slots={
            SLOT_CATEGORY: category or "suicide",
            SLOT_YOUNG: young,
            SLOT_ESCALATED: True,
            SLOT_QUESTION: ASKED_SAFE_NOW,
        },
    )


def plan_for_turn(turn: UserTurn, tracker: DialogueStateTracker) -> SafetyPlan | None:
    """The safety state machine: what Tend does after this user message, if anything."""
    pending = tracker.get_slot(SLOT_QUESTION)
    escalated = bool(tracker.get_slot(SLOT_ESCALATED))
    worries = int(tracker.get_slot(SLOT_WORRIES) or 0)

    if turn.intent == CRISIS:
        return escalation(turn.category, turn.young)
    if turn.intent == SOS:
        return SafetyPlan(actions=["utter_sos"])
    if pending == ASKED_SAFE_NOW and turn.intent == DENY:
        # "No, I'm not safe."
        return escalation(
            tracker.get_slot(SLOT_CATEGORY), bool(tracker.get_slot(SLOT_YOUNG))
        )
    if pending in (ASKED_THOUGHTS_NOW, ASKED_ENDING_LIFE) and turn.intent == AFFIRM:
        return escalation("suicide", bool(tracker.get_slot(SLOT_YOUNG)))
    if pending == ASKED_HARMING and turn.intent == AFFIRM:
        return escalation("harm_to_others", bool(tracker.get_slot(SLOT_YOUNG)))
    if (
        turn.intent == MISUNDERSTOOD
        and not escalated
        and not _said(tracker, SAFETY_REPLIES)
    ):
        return SafetyPlan(actions=[ORDINARY_MISUNDERSTANDING])
    if turn.intent == MISUNDERSTOOD or (escalated and turn.negated):
        return SafetyPlan(
            actions=["utter_sorry_i_misread", ASK_SAFE_NOW],
            slots={SLOT_QUESTION: ASKED_SAFE_NOW},
        )
    if pending == ASKED_SAFE_NOW and turn.intent == AFFIRM:
        return SafetyPlan(
            actions=["utter_glad_you_are_safe"], slots={SLOT_QUESTION: None}
        )
    if pending in (ASKED_THOUGHTS_NOW, ASKED_ENDING_LIFE, ASKED_HARMING) and (
        turn.intent == DENY
    ):
        return SafetyPlan(
            actions=["utter_thank_you_for_answering"], slots={SLOT_QUESTION: None}
        )
    if turn.intent == DISCLOSURE:
        if turn.category in ASK_AFTER_DISCLOSURE:
            return SafetyPlan(
                actions=["utter_disclosure", ASK_THOUGHTS_NOW],
                slots={SLOT_CATEGORY: turn.category, SLOT_QUESTION: ASKED_THOUGHTS_NOW},
            )
        return SafetyPlan(
            actions=["utter_disclosure"], slots={SLOT_CATEGORY: turn.category}
        )
    if turn.intent == SOMEONE_ELSE:
        return SafetyPlan(
            actions=["utter_support_someone_else"], slots={SLOT_CATEGORY: turn.category}
        )
    if turn.intent == WORRY and turn.ask_first:
        # A crisis phrase often innocent alone ("i could kill him"). After an
        # earlier worry, or once Tend has given the crisis reply, it is help now.
        worries += 1
        if escalated or worries >= WORRIES_BEFORE_ASKING:
            return escalation(turn.category, turn.young)
        return ask_first(turn.category, worries)
    if turn.intent == WORRY:
        worries += 1
        asked_before = tracker.get_slot(SLOT_QUESTION) == ASKED_ENDING_LIFE
        if (turn.strong_worry or worries >= WORRIES_BEFORE_ASKING) and not asked_before:
            return ask_about_ending_life(worries)
        return SafetyPlan(
            actions=["utter_worry_heard"], slots={SLOT_WORRIES: float(worries)}
        )
    if turn.faint:
        # Counted without a word. It brings the question only once in a
        # conversation: after a "no", uncertain readings alone do not ask again.
        worries += 1
        if worries >= WORRIES_BEFORE_ASKING and not _said(
            tracker, frozenset({ASK_ENDING_LIFE})
        ):
            return ask_about_ending_life(worries)
        return SafetyPlan(actions=[], slots={SLOT_WORRIES: float(worries)})
    return None


def ask_about_ending_life(worries: int) -> SafetyPlan:
    """The direct, kind question, after worries add up (or one strong worry)."""
    return SafetyPlan(
        actions=[ASK_ENDING_LIFE],
        slots={SLOT_WORRIES: float(worries), SLOT_QUESTION: ASKED_ENDING_LIFE},
    )


def ask_first(category: str | None, worries: int) -> SafetyPlan:
    """The question that fits a crisis phrase often innocent alone: a yes is the
    crisis reply, a no goes on gently."""
    if category == "harm_to_others":
        return SafetyPlan(
            actions=[ASK_HARMING],
            slots={SLOT_WORRIES: float(worries), SLOT_QUESTION: ASKED_HARMING},
        )
    if category in (None, "suicide"):
        return ask_about_ending_life(worries)
    # Abuse, self-harm, a body in danger: whether they are safe; a no is help now.
    return SafetyPlan(
        actions=[ASK_SAFE_NOW],
        slots={
            SLOT_WORRIES: float(worries),
            SLOT_QUESTION: ASKED_SAFE_NOW,
            SLOT_CATEGORY: category,
        },
    )
